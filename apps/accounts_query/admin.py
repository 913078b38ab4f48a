"""The read models in the admin, read-only: only the projection changes them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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
