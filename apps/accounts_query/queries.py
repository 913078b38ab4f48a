"""The read side's queries and their handlers, served through a query dispatcher."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from uuid import UUID

from django.db.models import QuerySet

from techbank.mediator import Dispatcher

from .models import Account


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


def find_all_accounts(query: FindAllAccounts) -> QuerySet[Account]:
    return Account.objects.all()


def find_account_by_id(query: FindAccountById) -> Account | None:
    return Account.objects.filter(pk=query.account_id).first()


def find_accounts_by_holder(query: FindAccountsByHolder) -> QuerySet[Account]:
    # The column's collation (utf8mb4_unicode_ci) makes this match case-insensitively.
    return Account.objects.filter(holder=query.holder.strip())


def find_accounts_with_balance(query: FindAccountsWithBalance) -> QuerySet[Account]:
    accounts = Account.objects.all()
    if query.greater_than is not None:
        accounts = accounts.filter(balance__gt=query.greater_than)
    if query.less_than is not None:
        accounts = accounts.filter(balance__lt=query.less_than)
    return accounts


@cache
def query_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()
    dispatcher.register(FindAllAccounts, find_all_accounts)
    dispatcher.register(FindAccountById, find_account_by_id)
    dispatcher.register(FindAccountsByHolder, find_accounts_by_holder)
    dispatcher.register(FindAccountsWithBalance, find_accounts_with_balance)
    return dispatcher
