"""The web process's composition root: builds both sides' objects once, from settings.

wsgi.py and asgi.py call `web()`; tests call it with their own settings. The worker and replay
processes have theirs in apps/accounts_query/bootstrap.py, run_transfers in
apps/transfers/bootstrap.py, the relay in techbank/management/commands/relay_events.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from api_platform import idempotency, lean_routes
from apps.accounts_command import bootstrap as command_side
from apps.accounts_command.api import dependencies as command_api
from apps.accounts_query import bootstrap as query_side
from apps.accounts_query.api import dependencies as query_api
from apps.accounts_query.console import dependencies as console
from apps.eventstore.bootstrap import EventStoreParts
from apps.identity import bootstrap as identity
from apps.identity.api import dependencies as identity_api
from apps.store_parts import store_parts
from apps.transfers import bootstrap as transfers
from apps.transfers.api import dependencies as transfers_api
from kernel.mediator import Dispatcher
from operations import metrics
from operations.instrumented_dispatcher import InstrumentedDispatcher


@dataclass(frozen=True)
class Web:
    event_store: EventStoreParts
    commands: Dispatcher
    queries: Dispatcher
    identity_commands: Dispatcher


def web(**event_store_overrides: object) -> Web:
    """Builds the web process's objects and installs them in the APIs."""
    parts = store_parts(**event_store_overrides)
    wired = Web(
        parts,
        # Every command counted and timed by type and outcome (operations/metrics.py).
        InstrumentedDispatcher(
            command_side.bootstrap(parts, command_side.CommandSettings.from_django())
        ),
        query_side.queries(),
        InstrumentedDispatcher(identity.identity_commands(parts)),
    )
    command_api.dispatcher.install(wired.commands)
    idempotency.keys.install(parts.idempotency)
    query_api.dispatcher.install(wired.queries)
    console.event_source.install(query_side.event_source(parts))
    transfers_api.requests.install(transfers.requests(parts))
    transfers_api.events.install(parts.reader)
    identity_api.commands.install(wired.identity_commands)
    identity.process_parts.install(parts)
    identity_api.streams.install(parts.store)
    lean_routes.observer.install(metrics.count_lean_response)
    return wired
