"""`manage.py revoke_api_client NAME`: the client's token stops working, its roles are gone."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from kernel.roles import ROLES


class Command(BaseCommand):
    help = (
        "Deletes the API token of the user NAME and takes it out of the tellers and auditors "
        "groups. The user stays (for the record); `create_api_client` can enrol it again, "
        "with a new token."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="user name of the API client")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["name"].strip()
        try:
            user = get_user_model().objects.select_for_update().get(username=name)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {name!r}.") from None
        deleted, _ = Token.objects.filter(user=user).delete()
        groups = sorted(user.groups.filter(name__in=ROLES.values()).values_list("name", flat=True))
        user.groups.remove(*user.groups.filter(name__in=groups))
        token = "deleted its token" if deleted else "it had no token"
        roles = f"removed it from {', '.join(groups)}" if groups else "it had no role"
        self.stdout.write(f"revoked API client {name!r}: {token}; {roles}.")
