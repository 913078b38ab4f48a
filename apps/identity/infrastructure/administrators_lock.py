"""The lock that serialises the commands that could leave no active administrator, across every
process: a MariaDB named lock (GET_LOCK), held by the database session of the thread.

Named after the database, so two installations (or two test runs) on one server never wait
for each other. A session that dies releases its locks: a killed process blocks nobody.
"""

from __future__ import annotations

from django.db import connection

from ..application.errors import AdministratorsBusy


class MariaDbAdministratorsLock:
    def __init__(self, timeout_seconds: float = 10.0) -> None:
        self.timeout_seconds = timeout_seconds

    @property
    def name(self) -> str:
        # A lock name is at most 64 characters.
        return f"{connection.settings_dict['NAME']}.identity.administrators"[-64:]

    def __enter__(self) -> MariaDbAdministratorsLock:
        with connection.cursor() as cursor:
            cursor.execute("SELECT GET_LOCK(%s, %s)", [self.name, self.timeout_seconds])
            (got,) = cursor.fetchone()
        if got != 1:
            raise AdministratorsBusy("Another change of administrators is under way; try again.")
        return self

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT RELEASE_LOCK(%s)", [self.name])
