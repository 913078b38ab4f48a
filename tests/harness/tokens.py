"""API tokens for tests and the bench: the one place that runs `create_api_client`.

`token_for(role)` creates a client of that role (or, run again, gives it a new token: only a
digest is stored, so an earlier token cannot be printed again) and returns the token,
in this process, or with `env` in a `manage.py` child on that environment's databases (the
bench's scale data set). Each token is registered with leak_scan (no log may show it). A test
that is about create_api_client's own output reads it itself (tests/api/test_command_api.py,
test_api_clients.py, test_oauth2.py); the others call this.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from io import StringIO
from typing import Any

from . import leak_scan
from .processes import PY, ROOT


def ensure_roles() -> None:
    """Transactional tests empty every table; put back the groups the migrations made."""
    from django.apps import apps

    from kernel import roles

    for app in ("accounts_command", "accounts_query", "identity"):
        roles.grant(apps, app)


def token_for(role: str, name: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The token of API client `name` (default: the role's name) with `role`."""
    name = name or role
    if env is not None:
        output = subprocess.run(
            [PY, "manage.py", "create_api_client", name, "--role", role],
            cwd=ROOT,
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=120,
        )
        if output.returncode != 0:
            raise RuntimeError(f"create_api_client failed:\n{output.stderr[-3000:]}")
        printed = output.stdout
    else:
        from django.core.management import call_command

        ensure_roles()
        out = StringIO()
        call_command("create_api_client", name, role=role, stdout=out)
        printed = out.getvalue()
    # Its last word (tests/api/test_command_api.py checks that); no log may ever show it.
    return leak_scan.issued(printed.split()[-1])


def authorization(token: str) -> dict[str, str]:
    """The header a client sends with `token`."""
    return {"Authorization": f"Token {token}"}


def client_for(role: str, name: str | None = None) -> Any:
    """A DRF test client (this process, no server) that sends the token of `token_for`."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(role, name)}")
    return client


def oauth_form_post(path: str, body: dict, client_id: str, secret: str, **extra: Any) -> Any:
    """A POST to an OAuth2 endpoint as `curl -u ID:SECRET -d ...` sends it (DRF test client);
    `extra` are more WSGI environ items (REMOTE_ADDR=...)."""
    import base64
    from urllib.parse import urlencode

    from rest_framework.test import APIClient

    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return APIClient().post(
        path,
        urlencode(body),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Basic {basic}",
        **extra,
    )


def request_oauth_token(client_id: str, secret: str, scope: str | None = None, **extra: Any) -> Any:
    """/o/token/'s answer to the client-credentials grant."""
    body = {"grant_type": "client_credentials"} | ({"scope": scope} if scope else {})
    return oauth_form_post("/o/token/", body, client_id, secret, **extra)
