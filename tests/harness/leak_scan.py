"""Secrets stay out of the logs: every token or secret issued during a test run, every log line
written during it, and the scan that looks for the one in the other.

- `issued(secret)`: the harness registers each secret it mints (tokens.py's `token_for`;
  tests that read one from a child, such as an access token from gunicorn's /o/token/, call
  it too), and `watch_issuance` registers every one this process issues (knox tokens, OAuth2
  client secrets, access and refresh tokens), whoever asked for it;
- `log_file(path)`: processes.py's `spawn` registers the log file of every child it starts
  (gunicorn, workers, `manage.py` commands), where their stdout and stderr go;
- `LineRecorder`: a handler the test session puts on the root logger of this process, which
  keeps each line as the configured formatter writes it;
- `findings()`: every (where, secret) pair such that the secret occurs in a line. The e2e
  suite's last test (tests/e2e/test_zz_secrets_stay_out_of_logs.py) asserts there is none.

Like the rest of the harness, nothing here imports Django.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

# Shorter strings (a client id's prefix, a role name) would match by chance; no token or
# secret this project issues is this short.
SHORTEST_SECRET = 16

ISSUED: set[str] = set()
LOG_FILES: list[Path] = []
LINES: list[str] = []


def issued(secret: str) -> str:
    """Registers `secret` (a token, an access token, a client secret); returns it."""
    if len(secret) >= SHORTEST_SECRET:
        ISSUED.add(secret)
    return secret


def log_file(path: Path) -> None:
    if path not in LOG_FILES:
        LOG_FILES.append(path)


def watch_issuance(patch: Callable[[Any, str, Any], None]) -> None:
    """Wraps, with `patch` (a MonkeyPatch's setattr), the three places this process makes a
    secret, so that each is registered as it is issued; what they return is unchanged."""
    import knox.models
    from oauth2_provider.oauth2_validators import OAuth2Validator

    from api_platform import oauth_clients

    digest_token = knox.models.get_digest_token

    def registered_digest_token(*args: Any, **kwargs: Any) -> tuple[str, str]:
        digest, token = digest_token(*args, **kwargs)
        issued(token)
        return digest, token

    client_secret = oauth_clients.generate_client_secret

    def registered_client_secret() -> str:
        return issued(client_secret())

    save_bearer_token = OAuth2Validator.save_bearer_token

    def registered_bearer_token(self: Any, token: dict, *args: Any, **kwargs: Any) -> Any:
        for key in ("access_token", "refresh_token"):
            if token.get(key):
                issued(token[key])
        return save_bearer_token(self, token, *args, **kwargs)

    patch(knox.models, "get_digest_token", registered_digest_token)
    patch(oauth_clients, "generate_client_secret", registered_client_secret)
    patch(OAuth2Validator, "save_bearer_token", registered_bearer_token)


class LineRecorder(logging.Handler):
    """Keeps every line this process logs, formatted as its console handler writes it."""

    def __init__(self, formatter: logging.Formatter, lines: list[str] = LINES) -> None:
        super().__init__(logging.NOTSET)
        self.setFormatter(formatter)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        # As logging's own handlers do: a line that cannot be formatted is reported, and the
        # code that logged it carries on.
        except Exception:  # noqa: BLE001
            self.handleError(record)


@dataclass(frozen=True, repr=False)
class Leak:
    where: str  # "path:line" or "in-process:N"
    secret: str

    def __str__(self) -> str:
        # The report names the secret by its first characters only: it is itself a log.
        return f"{self.where}: a secret issued in this run ({self.secret[:6]}...)"

    __repr__ = __str__


def forms(secret: str) -> set[str]:
    """How a secret may appear in a line: as is, or URL-encoded (a query string)."""
    return {secret, quote(secret, safe="")}


def findings(
    secrets: Iterable[str] | None = None,
    files: Iterable[Path] | None = None,
    lines: Iterable[str] | None = None,
) -> list[Leak]:
    """Every leak of `secrets` (default: ISSUED) in `files` and `lines` (default: LOG_FILES
    and LINES). A file that is gone (its test's folder removed) is skipped."""
    wanted = [(secret, forms(secret)) for secret in (ISSUED if secrets is None else secrets)]
    found: list[Leak] = []

    def scan(where: str, text: str) -> None:
        found.extend(
            Leak(where, secret) for secret, shapes in wanted if any(s in text for s in shapes)
        )

    for path in LOG_FILES if files is None else files:
        try:
            text = Path(path).read_text(errors="replace")
        except FileNotFoundError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            scan(f"{path}:{number}", line)
    for number, line in enumerate(LINES if lines is None else lines, 1):
        scan(f"in-process:{number}", line)
    return found


def lines_scanned(files: Iterable[Path] | None = None) -> int:
    """How many lines findings() reads (so a test can show that it read something)."""
    total = len(LINES)
    for path in LOG_FILES if files is None else files:
        if Path(path).exists():
            total += len(Path(path).read_text(errors="replace").splitlines())
    return total
