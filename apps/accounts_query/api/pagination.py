"""The account list's pages: keyset (cursor) pagination in the order accounts were opened.

Each page is one indexed range read (`account_opened` on opened_at, id) of page_size + 1 rows:
page 1,000 costs what page 1 costs, and no page counts the table. The price is that a client
cannot jump to page N: it follows `next` and `previous`, opaque cursors that stay valid while
rows are added.
"""

from api_platform.pages import AwareTimeCursor

from .page_size import MAX_PAGE_SIZE, StrictPageSize


class AccountPagination(StrictPageSize, AwareTimeCursor):
    cap_larger = True  # documented: a page_size over 100 gives 100
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    # Where a cursor points is opened_at; accounts opened in the same microsecond are told apart
    # by the offset the cursor carries, and the id keeps their order stable.
    ordering = ("opened_at", "id")
