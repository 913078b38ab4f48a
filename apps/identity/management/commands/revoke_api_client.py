"""`manage.py revoke_api_client NAME`: the RevokeApiClient command (actor
`system:revoke_api_client`): every credential of the client is deleted, its roles are gone,
and nothing of it comes back when the name is registered again."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kernel.roles import ROLES

from ...bootstrap import SystemCommands
from ...domain import commands as cmd
from ...domain.errors import IdentityError
from ...domain.user_ids import user_id_for
from ...infrastructure.credentials import delete_all, held
from ...infrastructure.projector import set_role_groups


class Command(BaseCommand):
    help = (
        "Revokes the API client NAME (RevokeApiClient): deletes every credential of it (its "
        "API tokens, its OAuth2 applications with their secrets, and every OAuth2 access and "
        "refresh token of it or of those applications) and takes its role away. The Django "
        "user stays, inactive (for the record); `create_api_client NAME` registers it again, "
        "with new credentials only. Run again, it deletes whatever was left behind."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="user name of the API client")

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["name"].strip()
        account = get_user_model().objects.filter(username=name).first()
        if account is None:
            raise CommandError(f"No user named {name!r}.")
        before = held(account)
        groups = sorted(
            account.groups.filter(name__in=ROLES.values()).values_list("name", flat=True)
        )
        try:
            with SystemCommands("revoke_api_client") as system:
                client = system.identity.repository.load(user_id_for(name))
                if client.exists:
                    system.dispatch(cmd.RevokeApiClient(None, client.id))
                elif client.version > 0:
                    # Revoked before: delete what a process that died mid-way left behind.
                    system.identity.projection.project(client.id)
                    system.identity.credentials.revoke_all(client.id)
                else:
                    # A client made before the identity context, with no stream: no event to
                    # record, its credentials and roles go all the same.
                    revoke_legacy(account)
        except IdentityError as refused:
            raise CommandError(str(refused)) from None
        deleted = [
            f"{count} {what}"
            for count, what in (
                (before.api_tokens, "API token(s)"),
                (before.applications, "OAuth2 application(s)"),
                (before.oauth_tokens, "OAuth2 token(s)"),
            )
            if count
        ]
        credentials = f"deleted {', '.join(deleted)}" if deleted else "it had no credentials"
        roles = f"removed it from {', '.join(groups)}" if groups else "it had no role"
        self.stdout.write(f"revoked API client {name!r}: {credentials}; {roles}.")


def revoke_legacy(account: Any) -> None:
    delete_all(account)
    set_role_groups(account, ())
