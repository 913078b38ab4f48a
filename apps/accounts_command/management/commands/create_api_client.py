"""`manage.py create_api_client NAME --role {teller,auditor}`: a user with a new API token.

The token is printed here once and stored only as its digest (django-rest-knox): it cannot be
shown again, so each run issues a new one; earlier ones keep working until they expire
(API_TOKEN_TTL_DAYS) or `revoke_api_client NAME` deletes them all.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from knox.models import AuthToken

from api_platform.oauth_clients import issue_credentials
from kernel.roles import ROLES


class Command(BaseCommand):
    help = (
        "Creates (or updates) an API user in the tellers or auditors group and prints a new "
        "token for it as the last word of the output (shown once: only its digest is kept; it "
        "expires after API_TOKEN_TTL_DAYS). Tellers run commands and read accounts; "
        "auditors only read. Refuses a user with rights beyond the role (superuser, staff, "
        "permissions of its own); `revoke_api_client NAME` takes a client's access away."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="user name of the API client")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument(
            "--oauth",
            action="store_true",
            help="also create an OAuth2 client-credentials application (a second run rotates "
            "its secret) and print client_id=... and client_secret=... before the token",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["name"].strip()
        if not name or len(name) > 150:
            raise CommandError("NAME must be 1 to 150 characters.")
        try:
            group = Group.objects.get(name=ROLES[options["role"]])
        except Group.DoesNotExist:
            raise CommandError("Roles are missing; run 'python manage.py migrate' first.") from None
        user, created = get_user_model().objects.get_or_create(username=name)
        refuse_extra_rights(user)
        if created:
            user.set_unusable_password()
            user.save()
        # One role per client: moving a teller to auditor takes its command rights away.
        user.groups.set([group])
        token, key = AuthToken.objects.create(user=user)
        if options["oauth"]:
            client_id, client_secret = issue_credentials(user)
            self.stdout.write(f"client_id={client_id}\nclient_secret={client_secret}")
        verb = "created" if created else "updated"
        self.stdout.write(
            f"{verb} API client {name!r} with role {options['role']}; "
            f"expires {token.expiry:%Y-%m-%d %H:%M} UTC; token: {key}"
        )


def refuse_extra_rights(user: Any) -> None:
    """A token for this user must carry the role's rights and nothing more."""
    extra = [flag for flag in ("is_superuser", "is_staff") if getattr(user, flag)]
    if user.user_permissions.exists():
        extra.append("permissions of its own")
    if extra:
        raise CommandError(
            f"User {user.username!r} has rights beyond an API role: {', '.join(extra)}. "
            "Choose another NAME for the API client, or take those rights away first "
            "(in /admin/ or `manage.py shell`)."
        )
