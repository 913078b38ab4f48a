"""An account's balance after each event of its stream: the fold, kept version by version.

Pure, for the operator console's history and chart; it folds exactly as the projection does.
"""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from .account_fold import AccountRow, apply
from .event_message import EventMessage


class BalancePoint(NamedTuple):
    version: int
    timestamp: datetime
    balance: Decimal
    event: EventMessage


def balance_points(events: Iterable[EventMessage]) -> list[BalancePoint]:
    """One point per event, in stream order; raises InapplicableEvent on a broken stream."""
    row: AccountRow | None = None
    points = []
    for event in events:
        row = apply(row, event)
        points.append(BalancePoint(event.version, event.timestamp, row.balance, event))
    return points
