"""One account by id, in SQL written once: the one query of a warm GET /accounts/{id}/.

Through the ORM, `Account.objects.filter(pk=...)` is built and compiled to SQL on every call:
0.3 to 0.7 ms of CPU, more than the query's own round trip (bench/README.md, "read_http"), for
a statement that never changes but for the id. So the statement is written here, once, from the
model's own table and columns (as the projector's bulk writer writes them), and its row becomes
an Account through `Model.from_db`, as the ORM's own rows do. MySQL (MariaDB) returns a
UUIDField as its 32 hex digits and a DateTimeField as a naive UTC time (USE_TZ); they are
converted as Django's MySQL backend converts them. tests/api/test_read_path.py checks that the
account read here equals, field for field and type for type, the one the ORM reads.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connection, models

from ..models import Account

SQL = f"SELECT {', '.join(Account.FIELDS)} FROM {Account._meta.db_table} WHERE id = %s"


def aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)


def _conversion(name: str) -> Callable[[Any], Any] | None:
    field = Account._meta.get_field(name)
    if isinstance(field, models.UUIDField):
        return UUID
    if isinstance(field, models.DateTimeField):
        return aware
    return None  # strings, Decimals and integers arrive as they are


# (position in the row, conversion) of the columns that need one.
CONVERSIONS = [
    (index, convert)
    for index, name in enumerate(Account.FIELDS)
    if (convert := _conversion(name)) is not None
]


def read_account(account_id: UUID) -> Account | None:
    with connection.cursor() as cursor:
        cursor.execute(SQL, [account_id.hex])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, convert in CONVERSIONS:
        if values[index] is not None:
            values[index] = convert(values[index])
    return Account.from_db(DEFAULT_DB_ALIAS, Account.FIELDS, values)
