"""Schemathesis checks of our own, for the in-process run and (as SCHEMATHESIS_HOOKS) the CLI's.

- no_server_error: no 5xx, but the documented 503s of a read-your-writes wait: it ran out
  (`projection_behind`; no projection runs in these tests, so a `min_version` past the row's is
  one) or every thread the server lets wait is waiting (`waiting_threads_busy`).
- error_envelope: every error answers the JSON envelope {"code": "...", "detail": "..."}.
"""

from typing import Any

import schemathesis


@schemathesis.check
def no_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code < 500:
        return None
    body = response.json() if response.status_code == 503 else {}
    assert body.get("code") in ("projection_behind", "waiting_threads_busy"), (
        f"{response.status_code}: {response.content[:300]!r}"
    )
    return True


@schemathesis.check
def error_envelope(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/json"), f"an error answered {content_type}"
    body = response.json()
    assert isinstance(body, dict), f"an error answered {body!r}"
    assert isinstance(body.get("code"), str) and body["code"], f"no code in {body!r}"
    assert isinstance(body.get("detail"), str), f"no detail in {body!r}"
    return True
