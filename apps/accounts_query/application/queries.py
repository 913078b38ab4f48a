"""The read side's queries and the dispatcher that answers each with its selector.

A query is a typed message: the API parses a request's parameters into one (api/filters.py)
and dispatches it; its handler is a selector (selectors.py). FindAccounts (the list, with
whatever filters it was given), FindAccountById and FindTransactions (an account's statement)
serve the endpoints; the seeds' three others (all, by holder, by balance) are the list's
selector with one filter each.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from kernel.mediator import Dispatcher, Query

from .selectors import account_get, account_list, statement_lines


@dataclass(frozen=True)
class FindAccounts(Query):
    holder: str | None = None
    balance_gt: Decimal | None = None
    balance_lt: Decimal | None = None
    status: str | None = None
    account_type: str | None = None


@dataclass(frozen=True)
class FindAllAccounts(Query):
    pass


@dataclass(frozen=True)
class FindAccountById(Query):
    account_id: UUID


@dataclass(frozen=True)
class FindAccountsByHolder(Query):
    holder: str


@dataclass(frozen=True)
class FindAccountsWithBalance(Query):
    greater_than: Decimal | None = None
    less_than: Decimal | None = None


@dataclass(frozen=True)
class FindTransactions(Query):
    """An account's statement lines, newest first; from/to are whole days in UTC, inclusive."""

    account_id: UUID
    from_date: date | None = None
    to_date: date | None = None


def query_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()
    # FindAccounts' fields are account_list's filters, name for name.
    dispatcher.register(FindAccounts, lambda query: account_list(**vars(query)))
    dispatcher.register(FindAllAccounts, lambda query: account_list())
    dispatcher.register(FindAccountById, lambda query: account_get(query.account_id))
    dispatcher.register(FindAccountsByHolder, lambda query: account_list(holder=query.holder))
    dispatcher.register(
        FindAccountsWithBalance,
        lambda query: account_list(balance_gt=query.greater_than, balance_lt=query.less_than),
    )
    dispatcher.register(
        FindTransactions,
        lambda query: statement_lines(
            query.account_id, from_date=query.from_date, to_date=query.to_date
        ),
    )
    return dispatcher
