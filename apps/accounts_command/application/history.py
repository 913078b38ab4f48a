"""The audit log query: an account's events as stored, in version order, page by page."""

from dataclasses import dataclass
from uuid import UUID

from kernel.mediator import Query

from ..domain.errors import AccountNotFound
from .ports import HistoryEvent, HistoryReader

# A page of the audit log: its cost is one read of the event store (the page's range, one
# query where the server serves it from an index), plus one lookup when the page is empty.
PAGE_DEFAULT = 50
PAGE_MAX = 100


@dataclass(frozen=True)
class GetAccountHistory(Query):
    account_id: UUID
    after_version: int = 0
    limit: int = PAGE_DEFAULT


@dataclass(frozen=True)
class AccountHistory:
    account_id: UUID
    events: list[HistoryEvent]
    # More events follow the last one of this page.
    more: bool


def get_account_history(query: GetAccountHistory, reader: HistoryReader) -> AccountHistory:
    events = reader.read(query.account_id, query.after_version, query.limit + 1)
    # An empty page may still be a real account read past its end; only then ask again.
    if not events and (query.after_version == 0 or not reader.exists(query.account_id)):
        raise AccountNotFound(f"No account with id {query.account_id}.")
    return AccountHistory(query.account_id, events[: query.limit], len(events) > query.limit)
