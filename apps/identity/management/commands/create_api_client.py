"""`manage.py create_api_client NAME --role {administrator,auditor,teller}`: an API client with a
new API token, through the identity commands (actor `system:create_api_client`).

A new NAME is registered (RegisterApiClient); an active client gets its role changed if it
differs (ChangeRoles) and a new token (RotateClientSecret, keeping earlier tokens); a revoked
NAME is registered again (its stream continues). The token is printed here once and stored
only as its digest (django-rest-knox): each run issues a new one; earlier ones keep working
until they expire (API_TOKEN_TTL_DAYS) or `revoke_api_client NAME` deletes them all.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from knox.models import AuthToken
from knox.settings import CONSTANTS

from kernel.roles import ROLES

from ...bootstrap import SystemCommands
from ...domain import commands as cmd
from ...domain.errors import IdentityError
from ...domain.user_ids import user_id_for
from ...models import UserIdentity


class Command(BaseCommand):
    help = (
        "Registers (or updates) an API client with one role and prints a new token for it as "
        "the last word of the output (shown once: only its digest is kept; it expires after "
        "API_TOKEN_TTL_DAYS). Tellers run account commands and read accounts; auditors only "
        "read; administrators manage users and API clients and nothing else. Run again on an "
        "active client: a new token (earlier ones keep working) and the role if different. "
        "Refuses a name whose Django user has rights beyond the role (superuser, staff, "
        "permissions of its own) or is a person; `revoke_api_client NAME` takes a client's "
        "access away."
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

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["name"].strip()
        role: str = options["role"]
        oauth: bool = options["oauth"]
        if not name or len(name) > 150:
            raise CommandError("NAME must be 1 to 150 characters.")
        if not Group.objects.filter(name=ROLES[role]).exists():
            raise CommandError("Roles are missing; run 'python manage.py migrate' first.")
        try:
            with SystemCommands("create_api_client") as system:
                client = system.identity.repository.load(user_id_for(name))
                if client.exists:
                    if client.kind != "api_client":
                        raise CommandError(f"{name!r} is a person, not an API client.")
                    if client.roles != (role,):
                        system.dispatch(cmd.ChangeRoles(None, client.id, (role,)))
                    issued = system.dispatch(
                        cmd.RotateClientSecret(None, client.id, oauth=oauth, revoke_earlier=False)
                    )
                    verb = "updated"
                else:
                    refuse_extra_rights(name)
                    issued = system.dispatch(cmd.RegisterApiClient(None, name, role, oauth=oauth))
                    verb = "created"
        except IdentityError as refused:
            raise CommandError(str(refused)) from None
        if oauth:
            self.stdout.write(f"client_id={issued.client_id}\nclient_secret={issued.client_secret}")
        token = AuthToken.objects.get(token_key=issued.token[: CONSTANTS.TOKEN_KEY_LENGTH])
        self.stdout.write(
            f"{verb} API client {name!r} with role {role}; "
            f"expires {token.expiry:%Y-%m-%d %H:%M} UTC; token: {issued.token}"
        )


def refuse_extra_rights(name: str) -> None:
    """A token for this name must carry the role's rights and nothing more: a Django user of
    this name that is no identity's and holds more (a superuser, say) is not taken over."""
    user = get_user_model().objects.filter(username=name).first()
    if user is None or UserIdentity.objects.filter(user=user).exists():
        return
    extra = [flag for flag in ("is_superuser", "is_staff") if getattr(user, flag)]
    if user.user_permissions.exists():
        extra.append("permissions of its own")
    if extra:
        raise CommandError(
            f"User {name!r} has rights beyond an API role: {', '.join(extra)}. "
            "Choose another NAME for the API client, or take those rights away first "
            "(in /admin/ or `manage.py shell`)."
        )
