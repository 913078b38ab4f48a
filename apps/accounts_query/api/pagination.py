"""The account list's pages: keyset (cursor) pagination in the order accounts were opened.

Each page is one indexed range read (`account_opened` on opened_at, id) of page_size + 1 rows:
page 1,000 costs what page 1 costs, and no page counts the table. The price is that a client
cannot jump to page N: it follows `next` and `previous`, opaque cursors that stay valid while
rows are added.
"""

from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

from .page_size import MAX_PAGE_SIZE, StrictPageSize


class AccountPagination(StrictPageSize, CursorPagination):
    cap_larger = True  # documented: a page_size over 100 gives 100
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    # Where a cursor points is opened_at; accounts opened in the same microsecond are told apart
    # by the offset the cursor carries, and the id keeps their order stable.
    ordering = ("opened_at", "id")

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
