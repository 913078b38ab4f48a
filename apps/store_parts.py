"""The event store's parts as every TechBank process builds them: the one call of the store's
factory (apps/eventstore/bootstrap.py) with what the store must not import itself.

Each composition root (techbank/bootstrap.py, the relay command beside it,
apps/accounts_query/bootstrap.py, apps/transfers/bootstrap.py) calls `store_parts()`, tests and
benchmarks with their overrides (`publishing=False`, another topic). The contract hands in
every aggregate's topic and upcasters, operations/metrics.py the callbacks that time appends
and count the relay's work. Nothing is built before a process asks for it.
"""

from __future__ import annotations

from django.conf import settings

from apps.contract.routes import aggregate_topics, upcasters
from apps.eventstore.bootstrap import EventStoreParts, EventStoreSettings, build
from apps.eventstore.observers import Observers
from operations import metrics

METRICS = Observers(
    appended=metrics.observe_append,
    relay_resent=metrics.count_relay_resend,
    outbox_backlog=metrics.set_outbox_backlog,
)


def store_parts(**overrides: object) -> EventStoreParts:
    """The parts, from Django's settings and `overrides` (EventStoreSettings fields)."""
    values = {"aggregate_topics": aggregate_topics(settings), **overrides}
    return build(EventStoreSettings.from_django(**values), upcasters(), METRICS)
