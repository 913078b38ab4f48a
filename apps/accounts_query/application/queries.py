"""The read side's queries and their handlers: the one path by which the API reads accounts.

The seeds' four queries (all, by id, by holder, by balance), FindAccounts, which the list
endpoint sends with whatever filters it was given, and FindTransactions, an account's
statement. Handlers return lazy querysets: the API pages them.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

from kernel.mediator import Dispatcher

from ..models import Account, StatementLine


@dataclass(frozen=True)
class FindAccounts:
    holder: str | None = None
    balance_gt: Decimal | None = None
    balance_lt: Decimal | None = None
    status: str | None = None
    account_type: str | None = None


@dataclass(frozen=True)
class FindAllAccounts:
    pass


@dataclass(frozen=True)
class FindAccountById:
    account_id: UUID


@dataclass(frozen=True)
class FindAccountsByHolder:
    holder: str


@dataclass(frozen=True)
class FindAccountsWithBalance:
    greater_than: Decimal | None = None
    less_than: Decimal | None = None


@dataclass(frozen=True)
class FindTransactions:
    """An account's statement lines, newest first; from/to are whole days in UTC, inclusive."""

    account_id: UUID
    from_date: date | None = None
    to_date: date | None = None


def find_accounts(query: FindAccounts) -> QuerySet[Account]:
    accounts = Account.objects.order_by("opened_at", "id")
    if query.holder is not None:
        # The column's collation (utf8mb4_unicode_ci) makes this match case-insensitively.
        accounts = accounts.filter(holder=query.holder.strip())
    if query.balance_gt is not None:
        accounts = accounts.filter(balance__gt=query.balance_gt)
    if query.balance_lt is not None:
        accounts = accounts.filter(balance__lt=query.balance_lt)
    if query.status is not None:
        accounts = accounts.filter(status=query.status)
    if query.account_type is not None:
        accounts = accounts.filter(account_type=query.account_type)
    return accounts


def find_all_accounts(query: FindAllAccounts) -> QuerySet[Account]:
    return find_accounts(FindAccounts())


def find_account_by_id(query: FindAccountById) -> Account | None:
    """The ORM's `filter(pk=...).first()`, its SQL compiled once per process.

    Building and compiling that queryset cost 0.7 ms of CPU per GET, three times the query's
    own round trip; the SQL never changes, only the id.
    """
    sql, compiler, converters, names = _by_id()
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, [_PK.get_db_prep_value(query.account_id, cursor.db)])
        rows = cursor.fetchall()
    for row in compiler.apply_converters(rows, converters):
        return Account.from_db(DEFAULT_DB_ALIAS, names, row)
    return None


_PK = Account._meta.pk


@cache
def _by_id() -> tuple[str, SQLCompiler, dict[int, Any], list[str]]:
    queryset = Account.objects.filter(pk=UUID(int=0)).order_by()
    compiler = queryset.query.get_compiler(DEFAULT_DB_ALIAS)
    sql, _ = compiler.as_sql()
    converters = compiler.get_converters([column for column, _, _ in compiler.select])
    return sql, compiler, converters, [field.attname for field in Account._meta.concrete_fields]


def find_accounts_by_holder(query: FindAccountsByHolder) -> QuerySet[Account]:
    return find_accounts(FindAccounts(holder=query.holder))


def find_accounts_with_balance(query: FindAccountsWithBalance) -> QuerySet[Account]:
    return find_accounts(FindAccounts(balance_gt=query.greater_than, balance_lt=query.less_than))


def find_transactions(query: FindTransactions) -> QuerySet[StatementLine] | None:
    """None when the account is unknown (an account with no lines yet has an empty statement)."""
    if not Account.objects.filter(pk=query.account_id).exists():
        return None
    lines = StatementLine.objects.filter(account_id=query.account_id).order_by("-version")
    if query.from_date is not None:
        lines = lines.filter(timestamp__gte=datetime.combine(query.from_date, time.min, UTC))
    if query.to_date is not None and query.to_date < date.max:  # date.max: no day after it
        day_after = datetime.combine(query.to_date + timedelta(days=1), time.min, UTC)
        lines = lines.filter(timestamp__lt=day_after)
    return lines


def query_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()
    dispatcher.register(FindAccounts, find_accounts)
    dispatcher.register(FindAllAccounts, find_all_accounts)
    dispatcher.register(FindAccountById, find_account_by_id)
    dispatcher.register(FindAccountsByHolder, find_accounts_by_holder)
    dispatcher.register(FindAccountsWithBalance, find_accounts_with_balance)
    dispatcher.register(FindTransactions, find_transactions)
    return dispatcher
