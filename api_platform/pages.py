"""Cursor pages over a read model, with a `page_size` that is 1..max or a 400.

Keyset (cursor) pagination: each page is one indexed range read of page_size + 1 rows, so a
late page costs what the first does, and a row added while a client pages never shifts the
pages. The price: no jumping to page N; a client follows `next` and `previous`.

A cursor is only base64 of "o=..&r=..&p=..": a client can forge one. One that is not ours (not
base64, or a position that is no value of the ordering's column) is a 400 `invalid_input` on
`cursor`, like any other bad parameter; it never reaches MySQL.
"""

from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

MAX_PAGE_SIZE = 100
# MySQL's DATETIME range: a time outside it was never written by us.
EARLIEST, LATEST = datetime(1000, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC)
# A version is a signed 32-bit column.
MAX_VERSION = 2**31 - 1
CURSOR_PROBLEM = "Not a cursor of this list: follow `next` or `previous` as given."


def bad_cursor() -> ValidationError:
    return ValidationError({"cursor": [CURSOR_PROBLEM]})


class CheckedCursor(CursorPagination):
    """A cursor whose position `position_ok` accepts, or a 400."""

    def decode_cursor(self, request: Request) -> Cursor | None:
        try:
            cursor = super().decode_cursor(request)
        except NotFound:  # DRF's answer to a cursor it cannot decode
            raise bad_cursor() from None
        if (
            cursor is not None
            and cursor.position is not None
            # DRF's stubs type the position int; decoded from the query string it is a str.
            and not self.position_ok(cursor.position)  # type: ignore[arg-type]
        ):
            raise bad_cursor()
        return cursor

    def position_ok(self, position: str) -> bool:
        raise NotImplementedError

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """DRF's, with page_size's documented range: 1 to max_page_size (only 1 at least where
        a larger one is documented to give the maximum: `cap_larger`)."""
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                if not getattr(self, "cap_larger", False):
                    parameter["schema"]["maximum"] = self.max_page_size
        return parameters


class AwareTimeCursor(CheckedCursor):
    """A cursor whose position is an aware time within MySQL's range."""

    def position_ok(self, position: str) -> bool:
        # A naive time would be read in the server's zone; one near datetime's own limits
        # overflows when Django converts it to UTC (a 500 once).
        try:
            when = parse_datetime(position)
            return (
                when is not None
                and when.tzinfo is not None
                and EARLIEST <= when.astimezone(UTC) <= LATEST
            )
        except (ValueError, OverflowError):
            return False


class VersionCursor(CheckedCursor):
    """A cursor whose position is a version: plain digits, at most MAX_VERSION."""

    def position_ok(self, position: str) -> bool:
        # Checked before int(): a forged "abc" or "1e5" reached the query as a 500 once.
        return (
            position.isascii()
            and position.isdigit()
            and len(position) <= len(str(MAX_VERSION))
            and int(position) <= MAX_VERSION
        )


class SizedCursorPagination(CheckedCursor):
    """Pages of 20 by default; `page_size` 1 to MAX_PAGE_SIZE, or a 400."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int:
        # DRF falls back to the default for "abc" or "0" and quietly caps 101 at the maximum;
        # a client that asked for something else should hear that it did not get it.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # Length first: int() of thousands of digits is slow, then a ValueError (a 500).
        if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(self.max_page_size))):
            raise self._bad_page_size()
        size = int(raw)
        if not 1 <= size <= self.max_page_size:
            raise self._bad_page_size()
        return size

    def _bad_page_size(self) -> ValidationError:
        message = f"Must be a whole number from 1 to {self.max_page_size}."
        return ValidationError({self.page_size_query_param: [message]})


class TimeCursorPagination(AwareTimeCursor, SizedCursorPagination):
    """Subclasses set `ordering` = (a time field, a unique tie-breaker)."""
