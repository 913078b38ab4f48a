"""`manage.py revoke_api_client NAME`: every credential of the client is deleted, its roles
are gone, and nothing of it can come back by enrolling the name again."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q
from knox.models import AuthToken
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)
from rest_framework.authtoken.models import Token as PlainToken

from kernel.roles import ROLES


class Command(BaseCommand):
    help = (
        "Deletes every credential of the user NAME (its API tokens, its OAuth2 applications "
        "with their secrets, and every OAuth2 access and refresh token of it or of those "
        "applications) and takes it out of the tellers and auditors groups. The user stays "
        "(for the record); `create_api_client` can enrol it again, with new credentials only."
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
        tokens = AuthToken.objects.filter(user=user).delete()[0]
        tokens += PlainToken.objects.filter(user=user).delete()[0]  # none after the migration
        oauth_tokens = delete_oauth_credentials(user)
        applications = get_application_model().objects.filter(user=user).delete()[1]
        applications = applications.get(get_application_model()._meta.label, 0)
        groups = sorted(user.groups.filter(name__in=ROLES.values()).values_list("name", flat=True))
        user.groups.remove(*user.groups.filter(name__in=groups))
        deleted = [
            f"{count} {what}"
            for count, what in (
                (tokens, "API token(s)"),
                (applications, "OAuth2 application(s)"),
                (oauth_tokens, "OAuth2 token(s)"),
            )
            if count
        ]
        credentials = f"deleted {', '.join(deleted)}" if deleted else "it had no credentials"
        roles = f"removed it from {', '.join(groups)}" if groups else "it had no role"
        self.stdout.write(f"revoked API client {name!r}: {credentials}; {roles}.")


def delete_oauth_credentials(user: Any) -> int:
    """Deletes the OAuth2 access, refresh and ID tokens and grants of `user` or of its
    applications (client-credentials tokens carry no user, only the application); their
    number (access and refresh tokens)."""
    mine = Q(user=user) | Q(application__user=user)
    count = 0
    for model in (get_refresh_token_model(), get_access_token_model()):
        count += model.objects.filter(mine).delete()[1].get(model._meta.label, 0)
    get_id_token_model().objects.filter(mine).delete()
    get_grant_model().objects.filter(mine).delete()
    return count
