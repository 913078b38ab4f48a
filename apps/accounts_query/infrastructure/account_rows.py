"""Reads and writes of account rows in bulk, guarded by version.

Live consumption and replay may write the same account at the same time; a row only ever
moves to a version at least as new as the one it has, so neither can undo the other.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

from django.db import connection, transaction

from ..domain.account_fold import AccountRow
from ..models import Account, ReplayEpoch

# A row's value as a query parameter (what the cursor's execute() accepts).
SqlValue = str | int | Decimal | datetime | None

COLUMNS = Account.FIELDS
# `version` last: MySQL applies these left to right, and every IF must see the old version.
UPDATES = ", ".join(f"{c} = IF(VALUES(version) >= version, VALUES({c}), {c})" for c in COLUMNS[1:])


class MySqlAccountRows:
    """application.ports.AccountRows on the Django ORM and bulk SQL."""

    def __init__(self, chunk: int = 1000) -> None:
        self.chunk = chunk  # rows per INSERT statement

    def atomic(self) -> AbstractContextManager[object]:
        return transaction.atomic()

    def load_for_update(self, ids: Iterable[UUID]) -> dict[UUID, AccountRow]:
        wanted = list(ids)
        if not wanted:
            return {}
        accounts = Account.objects.select_for_update().filter(pk__in=wanted)
        return {a.id: to_row(a) for a in accounts}

    def upsert(self, rows: Sequence[AccountRow]) -> None:
        table = Account._meta.db_table
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.chunk):
                part = rows[start : start + self.chunk]
                row_marks = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
                params = [value for row in part for value in _values(row)]
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(COLUMNS)}) "
                    f"VALUES {', '.join([row_marks] * len(part))} "
                    f"ON DUPLICATE KEY UPDATE {UPDATES}",
                    params,
                )

    def epoch(self) -> int:
        """The replay epoch, under a shared lock that a replay's write waits for."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT epoch FROM {ReplayEpoch._meta.db_table} WHERE id = 1 LOCK IN SHARE MODE"
            )
            found = cursor.fetchone()
        return found[0] if found else 0

    def bump_epoch(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {ReplayEpoch._meta.db_table} (id, epoch) VALUES (1, 1) "
                "ON DUPLICATE KEY UPDATE epoch = epoch + 1"
            )

    def ids(self) -> Iterator[UUID]:
        return Account.objects.values_list("pk", flat=True).iterator(chunk_size=5000)

    def delete(self, ids: Sequence[UUID]) -> int:
        deleted = 0
        for start in range(0, len(ids), self.chunk):
            deleted += Account.objects.filter(pk__in=ids[start : start + self.chunk]).delete()[0]
        return deleted


def to_row(account: Account) -> AccountRow:
    return AccountRow(
        id=account.id,
        holder=account.holder,
        account_type=account.account_type,
        balance=account.balance,
        status=account.status,
        opened_at=account.opened_at,
        closed_at=account.closed_at,
        version=account.version,
        updated_at=account.updated_at,
    )


def _values(row: AccountRow) -> list[SqlValue]:
    return [
        row.id.hex,
        row.holder,
        row.account_type,
        row.balance,
        row.status,
        naive_utc(row.opened_at),
        naive_utc(row.closed_at),
        row.version,
        naive_utc(row.updated_at),
    ]


def naive_utc(moment: datetime | None) -> datetime | None:
    # What Django itself sends MySQL with USE_TZ: UTC without a zone.
    return moment.astimezone(UTC).replace(tzinfo=None) if moment else None
