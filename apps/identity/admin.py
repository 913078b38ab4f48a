"""Users in the admin: read-only, because the event store is the source of truth.

A user, its roles and its status change only by the identity commands (the API's /users/ and
/api-clients/ routes, `create_administrator`, `create_api_client`); the tables here are their
projection. So the admin shows people and API clients (UserIdentity) and Django's own users and
groups, and offers no add, change or delete on any of them: a change made here would be undone
by the next replay and would never reach the audit trail. Password hashes (identity.Credential)
are not shown at all.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from kernel import roles

from .models import UserIdentity


class ReadOnly:
    """No add, change or delete, whoever asks (superusers included); viewing needs the model's
    view permission, as usual."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RoleFilter(admin.SimpleListFilter):
    """One entry per role; `roles` is a sorted comma-separated list, matched as whole names."""

    title = "role"
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(role, role) for role in sorted(roles.ROLES)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        role = self.value()
        if not role:
            return queryset
        return queryset.filter(
            Q(roles=role)
            | Q(roles__startswith=f"{role},")
            | Q(roles__endswith=f",{role}")
            | Q(roles__contains=f",{role},")
        )


@admin.register(UserIdentity)
class UserIdentityAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("username", "kind", "display_name", "roles", "status", "version", "changed_at")
    list_filter = ("kind", "status", RoleFilter)
    search_fields = ("username", "display_name")
    fields = (
        "id",
        "username",
        "kind",
        "display_name",
        "roles",
        "status",
        "version",
        "registered_at",
        "changed_at",
    )
    readonly_fields = fields


class ReadOnlyUserAdmin(ReadOnly, UserAdmin):
    """Django's user page without the password form or any edit (is_active = status, groups =
    roles, both projected)."""

    list_display = ("username", "is_active", "is_staff", "is_superuser", "last_login")
    fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email")}),
        ("Projected from the identity events", {"fields": ("is_active", "is_staff", "groups")}),
        ("Other", {"fields": ("is_superuser", "last_login", "date_joined")}),
    )


class ReadOnlyGroupAdmin(ReadOnly, GroupAdmin):
    pass


User = get_user_model()
for _model, _admin in ((User, ReadOnlyUserAdmin), (Group, ReadOnlyGroupAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
