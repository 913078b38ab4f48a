"""An account's event history for its admin page: read from the event store through the read
side's event source (never the read model), with the balance after each event, who caused it
(its actor; "—" for an event stored before actors were recorded) and the chart."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pymongo.errors import PyMongoError

from ..domain.account_fold import InapplicableEvent
from ..domain.balance_history import balance_points
from ..domain.event_message import PoisonMessage
from . import dependencies
from .balance_chart import balance_chart

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HistoryRow:
    version: int
    event_type: str
    timestamp: datetime
    summary: str
    balance: Decimal
    actor: str  # who caused it; LEGACY_ACTOR for an event stored before actors were recorded


# How the console shows the actor of an event stored before actors were recorded.
LEGACY_ACTOR = "—"


def summary(data: dict[str, Any]) -> str:
    return ", ".join(f"{name}: {value}" for name, value in data.items())


def account_history(account_id: UUID) -> dict[str, Any]:
    """The change page's extra context: `event_history`, `balance_chart`, `history_error`."""
    try:
        history = dependencies.event_source.get().read_history(account_id)
        points = balance_points(event for event, _ in history)
    except (PyMongoError, PoisonMessage, InapplicableEvent) as exc:
        log.warning("history of %s unavailable: %s", account_id, exc)
        return {"event_history": [], "balance_chart": "", "history_error": str(exc)}
    actors = {event.version: actor for event, actor in history}
    rows = [
        HistoryRow(
            p.version,
            p.event.event_type,
            p.timestamp,
            summary(p.event.data),
            p.balance,
            actors.get(p.version) or LEGACY_ACTOR,
        )
        for p in points
    ]
    chart = balance_chart([(p.version, p.balance) for p in points])
    return {"event_history": rows, "balance_chart": chart, "history_error": ""}
