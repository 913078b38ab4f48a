"""Server URLs of a run of its own (the tests' and the bench's databases)."""

from urllib.parse import urlsplit, urlunsplit


def with_database(url: str, name: str) -> str:
    """`url` (mysql://..., mongodb://...) naming database `name` instead of its own."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
