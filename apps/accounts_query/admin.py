"""The read models in the admin, read-only: only the projection changes them."""

from typing import Any
from uuid import UUID

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .console.account_history import account_history
from .models import Account, StatementLine

# The account page shows this many of its latest movements; the lines' own list has them all.
MOVEMENTS_SHOWN = 100
LINE_FIELDS = ("version", "type", "amount", "balance_after", "timestamp", "transfer_id")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = Account.FIELDS
    list_filter = ["account_type", "status"]
    search_fields = ["holder", "=id"]
    ordering = ["-opened_at"]
    readonly_fields = ["movements"]

    @admin.display(description="Movements (newest first)")
    def movements(self, account: Account) -> SafeString:
        # A table, not an inline: an inline would render every line of a long history.
        lines = account.statement_lines.order_by("-version")[:MOVEMENTS_SHOWN]
        rows = format_html_join(
            "",
            "<tr>" + "<td>{}</td>" * len(LINE_FIELDS) + "</tr>",
            (
                (
                    line.version,
                    line.get_type_display(),
                    line.amount,
                    line.balance_after,
                    line.timestamp.isoformat(),
                    line.transfer_id or "",
                )
                for line in lines
            ),
        )
        head = format_html_join("", "<th>{}</th>", ((name,) for name in LINE_FIELDS))
        every = reverse("admin:accounts_query_statementline_changelist")
        total = account.statement_lines.count()
        return format_html(
            '<table class="statement"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>'
            '<p>The latest {} of {} movement(s); <a href="{}?account__id__exact={}">all of '
            "them</a>.</p>",
            head,
            rows,
            min(MOVEMENTS_SHOWN, total),
            total,
            every,
            account.pk,
        )

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


@admin.register(StatementLine)
class StatementLineAdmin(ReadOnlyAdmin):
    list_display = ("account", *LINE_FIELDS)
    list_filter = ["type"]
    search_fields = ["=account__id", "=transfer_id"]
    list_select_related = ["account"]
    ordering = ["-timestamp", "-version"]
