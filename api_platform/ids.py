"""Account ids in URLs: a malformed one is an unknown account, answered the same way."""

from uuid import UUID

from rest_framework.exceptions import NotFound


def parse_account_id(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound(f"No account with id {raw!r}.", code="account_not_found") from None
