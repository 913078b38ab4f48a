"""`manage.py migrate` as the migrations' database user: Django's command, on the alias
"migrations" (MIGRATION_DATABASE_URL, techbank/settings/credentials.py) unless told otherwise.

The application's own user (DATABASE_URL) may read and write rows but not CREATE, ALTER or
DROP: only this command needs those rights, so only its connection has them. `--database`
still chooses (the test runner builds its database through "default").
"""

from __future__ import annotations

from django.core.management.base import CommandParser
from django.core.management.commands.migrate import Command as DjangoMigrate

MIGRATIONS_ALIAS = "migrations"


class Command(DjangoMigrate):
    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(database=MIGRATIONS_ALIAS)
        for action in parser._actions:
            if action.dest == "database":
                action.help = (
                    f'Nominates a database to synchronize. Defaults to "{MIGRATIONS_ALIAS}", '
                    "MIGRATION_DATABASE_URL (unset: DATABASE_URL)."
                )
