"""A large accounts read model for the read figures, written by MySQL itself in a few seconds.

Rows: holder "Holder <k>" with about three accounts each, balances spread over 0-9,999.99,
every tenth account closed (balance zero), SAVINGS and CURRENT alternating, opened one second
apart (distinct times, as real accounts nearly always have). The ids are MariaDB's UUID().
"""

from __future__ import annotations

from django.db import connection

from apps.accounts_query.models import Account

BATCH = 50_000
FIRST_OPENED = "2025-01-01 00:00:00"


def holders(rows: int) -> int:
    return max(1, rows // 3)


def account_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Account._meta.db_table}")
        return int(cursor.fetchone()[0])


def ensure_accounts(rows: int) -> int:
    """Fills the read model up to `rows` accounts (what is there is kept); returns the count."""
    have = account_rows()
    table = Account._meta.db_table
    with connection.cursor() as cursor:
        for start in range(have + 1, rows + 1, BATCH):
            end = min(rows, start + BATCH - 1)
            # MariaDB's sequence engine yields start..end without a helper table.
            cursor.execute(
                f"INSERT INTO {table} (id, holder, account_type, balance, status, opened_at,"
                " closed_at, version, updated_at)"
                " SELECT UUID(), CONCAT('Holder ', seq %% %s),"
                " IF(seq %% 2, 'SAVINGS', 'CURRENT'),"
                " IF(seq %% 10 = 0, 0, (seq * 7919) %% 1000000 / 100),"
                " IF(seq %% 10 = 0, 'CLOSED', 'OPEN'),"
                " TIMESTAMP(%s) + INTERVAL seq SECOND,"
                " IF(seq %% 10 = 0, TIMESTAMP(%s) + INTERVAL seq + 60 SECOND, NULL),"
                " 1, TIMESTAMP(%s) + INTERVAL seq SECOND"
                f" FROM seq_{start}_to_{end}",
                [holders(rows), FIRST_OPENED, FIRST_OPENED, FIRST_OPENED],
            )
        cursor.execute(f"ANALYZE TABLE {table}")
        cursor.fetchall()
    return account_rows()
