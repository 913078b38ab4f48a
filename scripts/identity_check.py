"""Issue 19's scenarios, rerun against a running system (`make run`, :8000).

    .venv/bin/python scripts/identity_check.py

An administrator API client (made by `create_api_client --role administrator`) registers a
teller client over the API; the client obtains an OAuth2 token (client credentials), opens an
account and deposits; the deposit's event names it as `actor`; the administrator is refused the
deposit; eight registrations of one name race; an administrator tries to suspend itself; the
teller is suspended and the script measures how long each of its credentials keeps
working. Each line says what was sent, the answer and how long it took. It registers users of
its own (check-*); run it on a development machine only.
"""

import base64
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

BASE = "http://127.0.0.1:8000"
PY = ".venv/bin/python"
SUFFIX = str(int(time.time()))


def administrator(name: str) -> str:
    out = subprocess.run(
        [PY, "manage.py", "create_api_client", name, "--role", "administrator"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split()[-1]


def call(
    method: str, path: str, auth: str | None = None, body: Any = None, form: bool = False
) -> tuple[int, Any, dict[str, str], float]:
    data = None
    headers = {}
    if body is not None:
        data = urllib.parse.urlencode(body).encode() if form else json.dumps(body).encode()
        kind = "application/x-www-form-urlencoded" if form else "application/json"
        headers["Content-Type"] = kind
    if auth:
        headers["Authorization"] = auth
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            status, raw, got = answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        status, raw, got = error.code, error.read(), dict(error.headers)
    took = time.monotonic() - start
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw[:80]
    return status, parsed, got, took


def show(what: str, status: int, body: Any, took: float) -> None:
    shown = ("code", "status", "kind", "role", "version", "scope")
    brief = {k: body[k] for k in shown if k in body} if isinstance(body, dict) else body
    print(f"{what}: {status} in {took * 1000:.0f} ms  {brief}")


admin = f"Token {administrator(f'check-admin-{SUFFIX}')}"
status, client, _, took = call(
    "POST", "/api/v1/api-clients/", admin, {"name": f"check-till-{SUFFIX}", "role": "teller"}
)
show("an administrator registers a teller client", status, client, took)
assert status == 201, client
basic = base64.b64encode(f"{client['client_id']}:{client['client_secret']}".encode()).decode()
status, token, _, took = call(
    "POST", "/o/token/", f"Basic {basic}", {"grant_type": "client_credentials"}, form=True
)
show("the client's OAuth2 client-credentials token", status, token, took)
bearer = f"Bearer {token['access_token']}"
opened = {"holder": "Check Holder", "account_type": "SAVINGS", "opening_balance": "5.00"}
status, account, _, took = call("POST", "/api/v1/accounts/open/", bearer, opened)
status, body, headers, took = call(
    "POST", f"/api/v1/accounts/{account['id']}/deposit/", bearer, {"amount": "10.00"}
)
show("the client deposits", status, body, took)
status, history, _, took = call("GET", f"/api/v1/accounts/{account['id']}/events/", bearer)
metadata = history["events"][-1]["metadata"]
print(
    f"  the deposit's metadata: actor {metadata['actor']} (the client: {client['id']}), "
    f"correlation_id {metadata['correlation_id']} (X-Request-ID "
    f"{headers.get('X-Request-ID')}), causation_id {metadata['causation_id']}"
)
status, body, _, took = call(
    "POST", f"/api/v1/accounts/{account['id']}/deposit/", admin, {"amount": "1.00"}
)
show("the administrator deposits", status, body, took)

# Eight registrations of one name at once: the store's unique key lets one win.
answers: list[int] = []
person = {
    "username": f"check-race-{SUFFIX}",
    "password": "a long passphrase 42",
    "roles": ["teller"],
}


def register() -> None:
    answers.append(call("POST", "/api/v1/users/", admin, person)[0])


threads = [threading.Thread(target=register) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"eight registrations of one name at once: {sorted(answers)}")

# Separation of duties: nobody suspends themselves.
me = call("GET", "/api/v1/users/?username=check-admin-" + SUFFIX, admin)[1]["results"][0]["id"]
status, body, _, took = call("POST", f"/api/v1/users/{me}/suspend/", admin)
show("an administrator suspends itself", status, body, took)

# The teller suspended: how long each of its credentials keeps working.
status, body, _, took = call("POST", f"/api/v1/users/{client['id']}/suspend/", admin)
show("the administrator suspends the teller client", status, body, took)
suspended_at = time.monotonic()
credentials = {"OAuth2 bearer": bearer, "API token": f"Token {client['token']}"}
for name, auth in credentials.items():
    while call("GET", f"/api/v1/accounts/{account['id']}/", auth)[0] != 401:
        if time.monotonic() - suspended_at > 30:
            sys.exit(f"{name} still works 30 s after the suspension")
        time.sleep(0.05)
    print(f"  its {name} refused {time.monotonic() - suspended_at:.2f} s after the suspension")
