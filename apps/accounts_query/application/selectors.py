"""The read side's selectors: every read of the read models the query API makes.

HackSoft's selectors (`account_list(*, filters)`, `account_get(id)`): plain functions that take
typed, already validated arguments and return what the API serializes; the query dispatcher
(queries.py) answers each query with one of them. The lists are lazy querysets in the order the
API's cursor pages key on; the API pages them.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from django.db.models import QuerySet

from ..models import Account, StatementLine
from .account_by_id import read_account

# The account list's order: the `account_opened` index, and the API's cursor (opened_at, id).
OPENING_ORDER = ("opened_at", "id")


def account_list(
    *,
    holder: str | None = None,
    balance_gt: Decimal | None = None,
    balance_lt: Decimal | None = None,
    status: str | None = None,
    account_type: str | None = None,
) -> QuerySet[Account]:
    """The accounts that match every filter given, in the order they were opened."""
    accounts = Account.objects.order_by(*OPENING_ORDER)
    if holder is not None:
        # The column's collation (utf8mb4_unicode_ci) makes this match case-insensitively.
        accounts = accounts.filter(holder=holder.strip())
    if balance_gt is not None:
        accounts = accounts.filter(balance__gt=balance_gt)
    if balance_lt is not None:
        accounts = accounts.filter(balance__lt=balance_lt)
    if status is not None:
        accounts = accounts.filter(status=status)
    if account_type is not None:
        accounts = accounts.filter(account_type=account_type)
    return accounts


def account_get(account_id: UUID) -> Account | None:
    """The account, or None: one SQL query (account_by_id.py)."""
    return read_account(account_id)


def statement_lines(
    account_id: UUID, *, from_date: date | None = None, to_date: date | None = None
) -> QuerySet[StatementLine] | None:
    """The account's statement lines, newest first; from/to are whole days in UTC, inclusive.

    None when the account is unknown (an account with no lines yet has an empty statement).
    """
    if not Account.objects.filter(pk=account_id).exists():
        return None
    lines = StatementLine.objects.filter(account_id=account_id).order_by("-version")
    if from_date is not None:
        lines = lines.filter(timestamp__gte=datetime.combine(from_date, time.min, UTC))
    if to_date is not None and to_date < date.max:  # date.max: there is no day after it
        day_after = datetime.combine(to_date + timedelta(days=1), time.min, UTC)
        lines = lines.filter(timestamp__lt=day_after)
    return lines
