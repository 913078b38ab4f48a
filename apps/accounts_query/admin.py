"""The read models in the admin, read-only: only the projection changes them.

An account's page also shows its event history and balance chart (the operator console,
apps/accounts_query/console/), read from the event store, not from the read model.
"""

from typing import Any
from uuid import UUID

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from .console.account_history import account_history
from .models import Account


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = Account.FIELDS
    list_filter = ["account_type", "status"]
    search_fields = ["holder", "=id"]
    ordering = ["-opened_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        context = {**(extra_context or {}), **self.history_context(request, object_id)}
        return super().change_view(request, object_id, form_url, context)

    def history_context(self, request: HttpRequest, object_id: str) -> dict[str, Any]:
        # Only for a reader of this account, on a GET: a refused POST reads nothing.
        if request.method != "GET" or not self.has_view_permission(request):
            return {}
        try:
            account_id = UUID(object_id)
        except ValueError:
            return {}  # Django answers the unknown id itself
        return account_history(account_id)
