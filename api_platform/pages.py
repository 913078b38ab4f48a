"""Cursor pages over a time-ordered read model, with a `page_size` that is 1..max or a 400.

Keyset (cursor) pagination: each page is one indexed range read of page_size + 1 rows, so a
late page costs what the first does, and a row added while a client pages never shifts the
pages. The price: no jumping to page N; a client follows `next` and `previous`.
"""

from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

MAX_PAGE_SIZE = 100


class AwareTimeCursor(CursorPagination):
    """A cursor whose position is a time: a forged one that is no aware time is a 404."""

    def decode_cursor(self, request: Request) -> Cursor | None:
        # A cursor is only base64 of "o=..&r=..&p=..": a client can forge one. A position that
        # is no aware time would reach MySQL as a 500 or a naive time; it is a bad cursor.
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                when = parse_datetime(cursor.position)
            except ValueError:
                when = None
            if when is None or when.tzinfo is None:
                raise NotFound(self.invalid_cursor_message)
        return cursor


class TimeCursorPagination(AwareTimeCursor):
    """Subclasses set `ordering` = (a time field, a unique tie-breaker)."""

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
