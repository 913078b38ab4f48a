"""API tokens in the admin: who holds one, since when, until when; never the token.

DRF's token pages (which listed each token in clear) are taken away: migration 0003 moved
those tokens into knox and emptied the table. Knox's own page lists digests and lets staff
add tokens; this one shows neither a digest nor a token's first characters, adds nothing (a
token is printed once, by `create_api_client`), and deleting a row revokes that token.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from knox.models import AuthToken
from rest_framework.authtoken.models import TokenProxy

for _model in (TokenProxy, AuthToken):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created", "expiry")
    list_filter = ("expiry",)
    search_fields = ("user__username",)
    fields = ("user", "created", "expiry")
    readonly_fields = fields
    ordering = ("user__username", "-created")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
