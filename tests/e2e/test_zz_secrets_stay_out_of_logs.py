"""No token or secret issued during the run appears in any log line written during it.

Named to run last in tests/e2e, so that its scan covers every e2e test before it: each token
`token_for` minted, every log file of every child the harness spawned (gunicorn with its
access log, workers, `manage.py` commands), and every line this process logged
(tests/harness/leak_scan.py). It also makes its own traffic, the kind that would leak: API
and OAuth2 credentials in headers, in forms, and in query strings the API refuses, against a
gunicorn that writes its access log as `make run` does, at DEBUG.
"""

from io import StringIO

import pytest
import requests
from django.core.management import call_command

from tests.harness import leak_scan
from tests.harness.gunicorn import gunicorn
from tests.harness.tokens import authorization, ensure_roles, token_for

OPEN = {"holder": "Leak Check", "account_type": "SAVINGS", "opening_balance": "1.00"}


def oauth_client(name: str) -> tuple[str, str]:
    ensure_roles()
    out = StringIO()
    call_command("create_api_client", name, role="teller", oauth=True, stdout=out)
    lines = out.getvalue().splitlines()
    leak_scan.issued(lines[2].split()[-1])
    client_id = lines[0].removeprefix("client_id=")
    return client_id, leak_scan.issued(lines[1].removeprefix("client_secret="))


def credential_traffic(base: str, token: str, client_id: str, secret: str) -> None:
    """Requests carrying every kind of credential, some of them where they must not be."""
    api = f"{base}/api/v1/accounts/"
    assert requests.get(api, headers=authorization(token), timeout=30).status_code == 200
    opened = requests.post(f"{api}open/", json=OPEN, headers=authorization(token), timeout=30)
    assert opened.status_code == 201, opened.text
    grant = {"grant_type": "client_credentials"}
    answer = requests.post(f"{base}/o/token/", data=grant, auth=(client_id, secret), timeout=30)
    assert answer.status_code == 200, answer.text
    access = leak_scan.issued(answer.json()["access_token"])
    in_body = {**grant, "client_id": client_id, "client_secret": secret}
    answer = requests.post(f"{base}/o/token/", data=in_body, timeout=30)
    assert answer.status_code == 200, answer.text
    other = leak_scan.issued(answer.json()["access_token"])
    bearer = {"Authorization": f"Bearer {access}"}
    assert requests.get(api, headers=bearer, timeout=30).status_code == 200
    # Credentials in URLs: refused, yet written in the access line (as [redacted]).
    for query in (f"access_token={access}", f"token={token}", f"client_secret={secret}"):
        refused = requests.get(f"{api}?{query}", timeout=30)
        assert (refused.status_code, refused.json()["code"]) == (400, "credential_in_query")
    refused = requests.post(
        f"{base}/o/introspect/?token={other}", auth=(client_id, secret), timeout=30
    )
    assert refused.status_code == 400
    form = {"token": other}
    introspected = requests.post(
        f"{base}/o/introspect/", data=form, auth=(client_id, secret), timeout=30
    )
    assert introspected.json()["active"] is True
    revoked = requests.post(
        f"{base}/o/revoke_token/", data=form, auth=(client_id, secret), timeout=30
    )
    assert revoked.status_code == 200
    gone = requests.get(api, headers={"Authorization": f"Bearer {other}"}, timeout=30)
    assert gone.status_code == 401


@pytest.mark.django_db(transaction=True)
def test_no_secret_issued_in_the_run_is_in_any_log_line(event_store_db, tmp_path, capsys):
    token = token_for("teller", "leak-teller")
    client_id, secret = oauth_client("leak-robot")
    log = tmp_path / "web.log"
    with gunicorn(log, "--access-logfile", "-", LOG_LEVEL="DEBUG") as base:
        credential_traffic(base, token, client_id, secret)

    written = log.read_text()
    # The scan reads what it must: this server's access lines, the refused ones included.
    assert log in leak_scan.LOG_FILES
    assert "GET /api/v1/accounts/?access_token=[redacted]" in written
    assert "POST /o/introspect/?token=[redacted]" in written
    # ... and would report a value that is in them: the client id (not a secret) is, as the
    # access line's user of a Basic authorization.
    assert leak_scan.findings(secrets=[client_id], files=[log], lines=[])
    assert len(leak_scan.ISSUED) >= 5 and leak_scan.lines_scanned() > 20

    leaks = leak_scan.findings()

    assert not leaks, "\n".join(map(str, leaks))
    with capsys.disabled():
        print(
            f"\nleak scan: {len(leak_scan.ISSUED)} secrets issued in the run, none in "
            f"{leak_scan.lines_scanned()} log lines ({len(leak_scan.LOG_FILES)} child logs and "
            "this process's)"
        )
