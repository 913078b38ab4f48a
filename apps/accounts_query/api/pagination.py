"""The query API's cursor pages, and the view that answers one.

The account list pages by keyset in the order accounts were opened: each page is one indexed
range read (`account_opened` on opened_at, id) of page_size + 1 rows, so page 1,000 costs what
page 1 costs, and no page counts the table. The price is that a client cannot jump to page N: it
follows `next` and `previous`, opaque cursors that stay valid while rows are added. The
statement pages by version, newest first (a line added while a client pages never shifts them).
"""

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from api_platform.pages import AwareTimeCursor, VersionCursor

from ..application.selectors import OPENING_ORDER
from .page_size import MAX_PAGE_SIZE, StrictPageSize


class AccountPagination(StrictPageSize, AwareTimeCursor):
    cap_larger = True  # documented: a page_size over 100 gives 100
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    # Where a cursor points is opened_at; accounts opened in the same microsecond are told apart
    # by the offset the cursor carries, and the id keeps their order stable.
    ordering = OPENING_ORDER


class StatementPagination(StrictPageSize, VersionCursor):
    ordering = "-version"  # newest first; unique per account, so the cursor is exact
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class PagedApi(APIView):
    """A view that answers with one page of the rows a selector gave it.

    `pagination_class` also tells the OpenAPI schema that the view answers pages (`cursor`,
    `page_size`, and `next`/`previous`/`results` around its serializer).
    """

    pagination_class: type[CursorPagination]

    def page(self, rows: QuerySet[Any], serializer_class: type[BaseSerializer]) -> Response:
        # Kept on the view: the browsable API draws its pager from `view.paginator`.
        self.paginator = self.pagination_class()
        on_page = self.paginator.paginate_queryset(rows, self.request, view=self)
        assert on_page is not None  # None only without a page size; every page has one
        return self.paginator.get_paginated_response(serializer_class(on_page, many=True).data)
