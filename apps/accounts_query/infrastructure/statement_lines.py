"""Writes of statement lines in bulk: one line per (account, version), never a second.

Every method runs on Django's connection, so inside the account rows' `atomic()` it is part
of the same transaction as the rows.
"""

from collections.abc import Sequence
from uuid import UUID

from django.db import connection

from ..domain.statement import StatementEntry
from ..models import Account, StatementLine
from .account_rows import SqlValue, naive_utc

TABLE = StatementLine._meta.db_table
ACCOUNTS = Account._meta.db_table
COLUMNS = StatementLine.COLUMNS
# A line at its version is the same movement whoever wrote it: a second one changes nothing.
KEEP = "version = version"
# A replay writes what the store says, over whatever was there.
OVERWRITE = ", ".join(f"{c} = VALUES({c})" for c in COLUMNS[2:])


class MySqlStatementLines:
    """application.ports.StatementLines on bulk SQL."""

    def __init__(self, chunk: int = 1000) -> None:
        self.chunk = chunk  # lines per statement

    def add(self, entries: Sequence[StatementEntry]) -> None:
        self._insert(entries, KEEP)

    def put(self, entries: Sequence[StatementEntry]) -> None:
        self._insert(entries, OVERWRITE)

    def delete(self, keys: Sequence[tuple[UUID, int]]) -> int:
        deleted = 0
        with connection.cursor() as cursor:
            for start in range(0, len(keys), self.chunk):
                part = keys[start : start + self.chunk]
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE (account_id, version) IN "
                    f"({', '.join(['(%s, %s)'] * len(part))})",
                    [value for account_id, version in part for value in (account_id.hex, version)],
                )
                deleted += cursor.rowcount
        return deleted

    def delete_accounts(self, ids: Sequence[UUID]) -> int:
        deleted = 0
        with connection.cursor() as cursor:
            for start in range(0, len(ids), self.chunk):
                part = ids[start : start + self.chunk]
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE account_id IN ({', '.join(['%s'] * len(part))})",
                    [account_id.hex for account_id in part],
                )
                deleted += cursor.rowcount
        return deleted

    def prune(self) -> int:
        """Deletes lines of accounts without a row, and lines newer than their account's row."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE line FROM {TABLE} line LEFT JOIN {ACCOUNTS} account "
                "ON account.id = line.account_id "
                "WHERE account.id IS NULL OR line.version > account.version"
            )
            return cursor.rowcount

    def _insert(self, entries: Sequence[StatementEntry], on_duplicate: str) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(entries), self.chunk):
                part = entries[start : start + self.chunk]
                marks = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
                cursor.execute(
                    f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) "
                    f"VALUES {', '.join([marks] * len(part))} "
                    f"ON DUPLICATE KEY UPDATE {on_duplicate}",
                    [value for entry in part for value in _values(entry)],
                )


def _values(entry: StatementEntry) -> list[SqlValue]:
    return [
        entry.account_id.hex,
        entry.version,
        entry.type,
        entry.amount,
        entry.balance_after,
        naive_utc(entry.timestamp),
        entry.transfer_id,
    ]
