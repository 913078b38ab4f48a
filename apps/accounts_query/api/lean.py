"""The account reads the lean path answers (api_platform/lean_routes.py): an account by id
without a read-your-writes wait, and a page of the list. Each mirrors its DRF view
(views.py) through the same query, filters, paginator and serializer; what either one cannot
answer plainly, the view does."""

import re
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from api_platform.permissions import CanViewAccounts

from ..application.queries import FindAccounts
from .filters import account_filters
from .pagination import AccountPagination
from .serializers import AccountOutput
from .views import AccountDetailApi, AccountListApi, find_account, no_account


class AccountById:
    pattern = re.compile(r"/api/v1/accounts/(?P<account_id>[^/]+)/")
    view = AccountDetailApi
    permission = CanViewAccounts.permission

    def __init__(self) -> None:
        self.output = AccountOutput()

    def prepare(self, request: HttpRequest, match: re.Match[str]) -> UUID | None:
        if request.GET:  # min_version and wait (read-your-writes) are the view's
            return None
        try:
            return UUID(match["account_id"])
        except ValueError:  # the view's 404 for a malformed id
            return None

    def answer(self, request: HttpRequest, wanted: UUID) -> tuple[int, Any]:
        account = find_account(wanted)
        if account is None:
            raise no_account(wanted)
        # One account, written as AccountOutput writes it, without a serializer per request.
        return 200, self.output.row(account, timezone.get_current_timezone())


class AccountList:
    pattern = re.compile(r"/api/v1/accounts/")
    view = AccountListApi
    permission = CanViewAccounts.permission

    def prepare(
        self, request: HttpRequest, match: re.Match[str]
    ) -> tuple[Request, FindAccounts, AccountPagination] | None:
        wrapped = Request(request)  # what the filters and the paginator read the query from
        paginator = AccountPagination()
        try:  # each check again in answer(), after the request was counted: checked here first
            query = account_filters(wrapped.query_params)
            paginator.get_page_size(wrapped)
            paginator.decode_cursor(wrapped)
        except APIException:  # the view's 400 (or 404)
            return None
        return wrapped, query, paginator

    def answer(
        self, request: HttpRequest, prepared: tuple[Request, FindAccounts, AccountPagination]
    ) -> tuple[int, Any]:
        wrapped, query, paginator = prepared
        rows = AccountListApi.rows(query)
        page = paginator.paginate_queryset(rows, wrapped, view=AccountListApi())
        assert page is not None  # as in the view: every page has a size
        return 200, paginator.get_paginated_response(AccountOutput(page, many=True).data).data
