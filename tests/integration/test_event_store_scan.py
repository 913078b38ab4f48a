"""A replay of a store whose stored order is not each stream's version order: the full read in
stored order (scan) hands streams out of order, and the replay folds them all the same. The
scan itself is in the store's contract (event_store_contract.py)."""

import random
import uuid

import pytest

from apps.accounts_query.application.replay import Replay
from apps.accounts_query.bootstrap import event_source
from apps.accounts_query.infrastructure.account_rows import MySqlAccountRows
from apps.accounts_query.infrastructure.statement_lines import MySqlStatementLines
from apps.accounts_query.models import Account, StatementLine
from apps.eventstore.documents import to_document
from tests.integration.stored_events import account_stream as stream
from tests.integration.stored_events import make_store

pytestmark = pytest.mark.usefixtures("event_store_db")


@pytest.fixture
def store():
    return make_store("ferretdb")


@pytest.mark.django_db
def test_replay_folds_streams_stored_out_of_version_order(store):
    rng = random.Random(7)
    kept = [stream(str(uuid.uuid4()), n) for n in (3, 6, 9)]
    broken = stream(str(uuid.uuid4()), 4)
    documents = [to_document(e) for events in kept for e in events]
    documents += [to_document(e) for e in broken if e.version != 3]  # a gap at version 3
    rng.shuffle(documents)  # stored in no stream's version order
    store.events.insert_many(documents)

    result = Replay(
        MySqlAccountRows(), event_source(), MySqlStatementLines(), batch_size=4, write_every=5
    ).all()

    assert result.events == len(documents)
    assert result.accounts == 4
    assert result.rejected == 1  # version 4 of the broken stream: version 3 never came
    for events in kept:
        row = Account.objects.get(pk=events[0].aggregate_id)
        assert (row.version, str(row.balance)) == (
            len(events),
            events[-1].data.get("balance", "10.00"),
        )
        assert StatementLine.objects.filter(account_id=row.pk).count() == len(events)
    row = Account.objects.get(pk=broken[0].aggregate_id)
    assert (row.version, str(row.balance)) == (2, "11.00")
