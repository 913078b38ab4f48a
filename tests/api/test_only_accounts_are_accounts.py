"""Only an account's stream is an account: the id of a transfer (any stream of another aggregate
type) is an unknown account on every account route, and closing waits for transfers in flight."""

import io
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from apps.accounts_command.domain.commands import DebitForTransfer, SettleTransfer
from apps.eventstore.records import StoredEvent
from tests.support import command, open_account
from tests.wired import event_store, get

pytestmark = pytest.mark.django_db


def transfer_stream() -> str:
    """A transfer's stream in the store, as the transfers context records it."""
    transfer = str(uuid.uuid4())
    event_store().append(
        StoredEvent(
            event_id=str(uuid.uuid4()),
            aggregate_id=transfer,
            aggregate_type="Transfer",
            version=1,
            event_type="TransferRequested",
            schema_version=2,
            data={
                "from_account": str(uuid.uuid4()),
                "to_account": str(uuid.uuid4()),
                "amount": "20.00",
                "timeout_seconds": 60,
            },
            timestamp=datetime.now(UTC),
        )
    )
    return transfer


def assert_unknown_account(response):
    assert response.status_code == 404, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "account_not_found"


def test_every_account_route_answers_404_for_a_transfer_id(teller, auditor):
    transfer = transfer_stream()
    for name, body in (
        ("deposit", {"amount": "5.00"}),
        ("withdraw", {"amount": "5.00"}),
        ("close", {}),
    ):
        assert_unknown_account(command(teller, transfer, name, **body))
    for path in (
        f"/api/v1/accounts/{transfer}/events/",
        f"/api/v1/accounts/{transfer}/events/?after=1",
        f"/api/v1/accounts/{transfer}/as-of/?version=1",
        f"/api/v1/accounts/{transfer}/as-of/?at=2030-01-01T00:00:00Z",
    ):
        assert_unknown_account(auditor.get(path))
    for path in (f"/api/v1/accounts/{transfer}/", f"/api/v1/accounts/{transfer}/transactions/"):
        response = auditor.get(path)
        assert response.status_code == 404, (path, response.content)
    # Nothing was added to the transfer's stream by any of it.
    assert len(event_store().read_stream(transfer)) == 1


def test_build_checkpoints_folds_accounts_and_passes_over_other_streams(teller):
    transfer_stream()
    account = open_account(teller, balance="10.00")
    for _ in range(12):
        assert command(teller, account, "deposit", amount="1.00").status_code == 200
    out = io.StringIO()
    call_command("build_checkpoints", stdout=out)
    assert "folded 13 event(s)" in out.getvalue()


def test_an_account_with_a_transfer_in_flight_cannot_close_until_it_is_settled(teller):
    account = open_account(teller, balance="30.00")
    transfer = uuid.uuid4()
    deadline = datetime.now(UTC) + timedelta(minutes=5)
    commands = get().commands
    commands.dispatch(DebitForTransfer(uuid.UUID(account), Decimal("30.00"), transfer, deadline))
    response = command(teller, account, "close")
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "transfer_in_flight"
    commands.dispatch(SettleTransfer(uuid.UUID(account), transfer))
    assert command(teller, account, "close").status_code == 200
