"""`manage.py create_administrator NAME`: the first administrator, registered before anyone can
log in, through the same command as every user (RegisterUser, actor
`system:create_administrator`)."""

import secrets
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...application.errors import WeakPassword
from ...bootstrap import SystemCommands
from ...domain import commands as cmd
from ...domain.errors import IdentityError


class Command(BaseCommand):
    help = (
        "Registers the person NAME with the administrator role (RegisterUser). The password "
        "is read from standard input (its first line, e.g. `printf '%s' \"$PW\" | manage.py "
        "create_administrator root`); when standard input is a terminal or empty, a strong "
        "password is generated and printed once, as the last word of the output. It is "
        "stored only as its Argon2 hash, never in an event or a log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="user name of the administrator")
        parser.add_argument("--display-name", default="", help="the name shown for it")

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["name"].strip()
        given = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.readline()
        password = given.rstrip("\r\n")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(24)
        command = cmd.RegisterUser(
            None, name, password, ("administrator",), options["display_name"]
        )
        try:
            with SystemCommands("create_administrator") as system:
                result = system.dispatch(command)
        except WeakPassword as refused:
            raise CommandError(f"The password is refused: {refused}") from None
        except IdentityError as refused:
            raise CommandError(str(refused)) from None
        said = f"created administrator {name!r} (id {result.user_id})"
        self.stdout.write(f"{said}; password: {password}" if generated else said)
