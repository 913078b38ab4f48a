"""The abuse scenarios of issue 18, rerun against a running system (`make run`, :8000).

    .venv/bin/python scripts/abuse_check.py

Each line says what was sent, the answer and how long it took: a 64 KiB body of escaped quotes
(once, and eight at once), an as-of instant past year 9999, one client holding 14
read-your-writes waits while another reads, an OAuth secret after its client was revoked and
enrolled again, and anonymous /readyz while MariaDB is frozen (SIGSTOP, then SIGCONT). It makes
API clients of its own (rows-*) and two accounts; run it on a development machine only.
"""

import base64
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE = "http://127.0.0.1:8000"
PY = ".venv/bin/python"


def client(name: str, role: str, oauth: bool = False) -> tuple[str, dict[str, str]]:
    out = subprocess.run(
        [
            PY,
            "manage.py",
            "create_api_client",
            name,
            "--role",
            role,
            *(["--oauth"] if oauth else []),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fields = {}
    for word in out.split():
        if "=" in word:
            k, v = word.split("=", 1)
            fields[k] = v.rstrip(",")
    return out.split()[-1], fields


def call(
    method: str,
    path: str,
    token: str | None = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes, float]:
    req = urllib.request.Request(BASE + path, data=body, method=method, headers=headers or {})
    if token:
        req.add_header("Authorization", f"Token {token}")
    if body is not None and not req.has_header("Content-type"):
        req.add_header("Content-Type", "application/json")
    t = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read(), time.monotonic() - t
    except urllib.error.HTTPError as e:
        return e.code, e.read(), time.monotonic() - t


def show(what: str, status: int, body: bytes, took: float) -> None:
    print(f"{what}: {status} in {took:.3f} s  {body[:120]!r}")


suffix = str(int(time.time()))
teller, _creds = client(f"rows-teller-{suffix}", "teller")
auditor, _creds = client(f"rows-auditor-{suffix}", "auditor")
status, body, took = call(
    "POST",
    "/api/v1/accounts/open/",
    teller,
    json.dumps(
        {"holder": "Row Tester", "account_type": "SAVINGS", "opening_balance": "10.00"}
    ).encode(),
)
assert status in (200, 201), (status, body)
account = json.loads(body)["id"]
status, body, took = call(
    "POST",
    "/api/v1/accounts/open/",
    teller,
    json.dumps(
        {"holder": "Row Other", "account_type": "SAVINGS", "opening_balance": "10.00"}
    ).encode(),
)
other = json.loads(body)["id"]
call("GET", f"/api/v1/accounts/{other}/?min_version=1&wait=5", teller)

# Row 1: 64 KiB of escaped quotes, once and eight at once.
hostile = b'"' + b'\\"' * 32767
show(
    "row 1: 64 KiB escapes", *call("POST", f"/api/v1/accounts/{account}/deposit/", teller, hostile)
)
results: list[tuple[int, bytes, float]] = []
threads = [
    threading.Thread(
        target=lambda: results.append(
            call("POST", f"/api/v1/accounts/{account}/deposit/", teller, hostile)
        )
    )
    for _ in range(8)
]
t0 = time.monotonic()
for t in threads:
    t.start()
for t in threads:
    t.join()
print(
    f"row 1: eight at once: statuses {sorted(r[0] for r in results)}, slowest "
    f"{max(r[2] for r in results):.3f} s, all done in {time.monotonic() - t0:.3f} s"
)

# Row 2: an as-of instant past year 9999 in UTC.
show(
    "row 2: as-of 9999-12-31T23:59:59-05:00",
    *call("GET", f"/api/v1/accounts/{account}/as-of/?at=9999-12-31T23:59:59-05:00", teller),
)

# Row 3: an auditor holds 14 waits; a teller's plain GET of another account.
waits: list[tuple[int, bytes, float]] = []
holders = [
    threading.Thread(
        target=lambda: waits.append(
            call("GET", f"/api/v1/accounts/{account}/?min_version=2147483647&wait=10", auditor)
        )
    )
    for _ in range(14)
]
for t in holders:
    t.start()
time.sleep(0.5)  # let the waits arrive first: the row's order
show("row 3: teller's plain GET while 14 waits", *call("GET", f"/api/v1/accounts/{other}/", teller))
for t in holders:
    t.join()
print("row 3: the 14 waits answered", sorted((r[0], round(r[2], 1)) for r in waits))

# Row 4: revoke, re-enrol without --oauth, the old OAuth secret.
name = f"rows-robot-{suffix}"
_token, creds = client(name, "teller", oauth=True)
basic = base64.b64encode(f"{creds['client_id']}:{creds['client_secret']}".encode()).decode()
form = {"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"}
show(
    "row 4: secret before revoking",
    *call("POST", "/o/token/", body=b"grant_type=client_credentials", headers=form),
)
subprocess.run([PY, "manage.py", "revoke_api_client", name], check=True, capture_output=True)
client(name, "teller")
show(
    "row 4: old secret after revoke + re-enrol",
    *call("POST", "/o/token/", body=b"grant_type=client_credentials", headers=form),
)

# Row 5: anonymous /readyz while MySQL hangs (SIGSTOP to mariadbd), then the probes again.
pid = int(Path(".services/run/mariadb.pid").read_text())
os.kill(pid, signal.SIGSTOP)
try:
    show("row 5: anonymous /readyz, MySQL frozen", *call("GET", "/readyz"))
    show("row 5: /healthz, MySQL frozen", *call("GET", "/healthz"))
finally:
    os.kill(pid, signal.SIGCONT)
thawed = time.monotonic()
streak = 0
while streak < 10 and time.monotonic() - thawed < 30:
    streak = streak + 1 if call("GET", "/readyz")[0] == 200 else 0
    time.sleep(0.05)
print(
    f"row 5: after thaw, ten /readyz in a row answered 200 within {time.monotonic() - thawed:.2f} s"
)
sys.exit(0)
