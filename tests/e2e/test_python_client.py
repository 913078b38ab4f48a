"""The generated Python client (clients/python/) against a real gunicorn, with the
consume_events worker and the run_transfers process manager as child processes: a team's
day one, every answer parsed into the client's typed models, refusals into `ErrorOutput`."""

from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import pytest
from techbank_client import AuthenticatedClient
from techbank_client.api.v1 import (
    v1_accounts_deposit_create,
    v1_accounts_open_create,
    v1_accounts_retrieve,
    v1_accounts_transactions_list,
    v1_accounts_withdraw_create,
    v1_transfers_create,
    v1_transfers_retrieve,
)
from techbank_client.models import (
    AccountOutput,
    AmountInputRequest,
    CommandOutput,
    ErrorOutput,
    OpenAccountInputAccountTypeEnum,
    OpenAccountInputRequest,
    PaginatedStatementEntryOutputList,
    TransferInputRequest,
    TransferOutput,
    TransferOutputStatusEnum,
    TypeEnum,
)
from techbank_client.types import Unset

from tests.e2e.transfer_support import Processes
from tests.harness.gunicorn import gunicorn
from tests.harness.tokens import token_for
from tests.support import wait_until

pytestmark = pytest.mark.kafka


@pytest.fixture
def processes(transactional_db, event_store_db, kafka_topic, tmp_path):
    running = Processes(tmp_path)
    running.start_manager()
    yield running
    running.stop()


def command(api: AuthenticatedClient, name: str, account: UUID, amount: str, **body: Any) -> Any:
    module = {"deposit": v1_accounts_deposit_create, "withdraw": v1_accounts_withdraw_create}
    return module[name].sync_detailed(
        account, client=api, body=AmountInputRequest(amount=amount, **body)
    )


def read(api: AuthenticatedClient, account: UUID, version: int) -> AccountOutput:
    """Read-your-writes: the account once the read model reached `version` (waits up to 10 s)."""
    answer = v1_accounts_retrieve.sync(account, client=api, min_version=version, wait=10)
    assert isinstance(answer, AccountOutput), answer
    assert answer.version >= version
    return answer


def statement(api: AuthenticatedClient, account: UUID) -> list[tuple[TypeEnum, str, str]]:
    """Every line, two per page, following each page's `next` cursor through the client."""
    lines, pages = [], 0
    query: dict[str, Any] = {"page_size": 2}
    while True:
        page = v1_accounts_transactions_list.sync(account, client=api, **query)
        assert isinstance(page, PaginatedStatementEntryOutputList), page
        pages += 1
        lines += [(line.type_, line.amount, line.balance_after) for line in page.results]
        if not isinstance(page.next_, str):
            assert pages == 2, f"4 lines, 2 a page: {pages} pages"
            return lines
        # The next URL carries the cursor and page_size; the client takes them as arguments.
        given = parse_qs(urlsplit(page.next_).query)
        query = {"cursor": given["cursor"][0], "page_size": int(given["page_size"][0])}


def settled(api: AuthenticatedClient, transfer: UUID) -> TransferOutput:
    def final() -> TransferOutput | None:
        # Until the stream reaches version 4 (requested, debited, credited, completed) this is a
        # typed 503 projection_behind; then the completed transfer.
        answer = v1_transfers_retrieve.sync(transfer, client=api, min_version=4, wait=2)
        if isinstance(answer, ErrorOutput):
            assert answer.code == "projection_behind", answer
            return None
        assert isinstance(answer, TransferOutput), answer
        return answer if answer.status != TransferOutputStatusEnum.PENDING else None

    return wait_until(final, timeout=60, interval=0.1, what=f"transfer {transfer}")


def test_a_team_banks_through_the_generated_client(processes, tmp_path):
    token = token_for("teller")
    with (
        gunicorn(tmp_path / "web.log") as base,
        AuthenticatedClient(base_url=base, token=token, prefix="Token", timeout=30) as api,
    ):
        savings = OpenAccountInputAccountTypeEnum.SAVINGS
        ada, bob = (
            v1_accounts_open_create.sync(
                client=api,
                body=OpenAccountInputRequest(holder=name, account_type=savings, opening_balance=b),
            )
            for name, b in (("Ada", "100.00"), ("Bob", "5.00"))
        )
        assert isinstance(ada, CommandOutput) and isinstance(bob, CommandOutput)
        assert (ada.version, bob.version) == (1, 1)
        deposited = command(api, "deposit", ada.id, "50.00").parsed
        assert isinstance(deposited, CommandOutput) and deposited.version == 2
        assert read(api, ada.id, 2).balance == "150.00"
        withdrawn = command(api, "withdraw", ada.id, "20.00").parsed
        assert isinstance(withdrawn, CommandOutput) and withdrawn.version == 3
        assert read(api, ada.id, 3).balance == "130.00"

        requested = v1_transfers_create.sync_detailed(
            client=api,
            body=TransferInputRequest(
                from_account=str(ada.id), to_account=str(bob.id), amount="30.25"
            ),
        )
        assert requested.status_code == 202 and isinstance(requested.parsed, TransferOutput)
        assert requested.parsed.status == TransferOutputStatusEnum.PENDING
        done = settled(api, requested.parsed.id)
        assert done.status == TransferOutputStatusEnum.COMPLETED and done.reason is None
        assert read(api, ada.id, 4).balance == "99.75"
        assert read(api, bob.id, 2).balance == "35.25"

        assert statement(api, ada.id) == [  # newest first
            (TypeEnum.TRANSFER_OUT, "30.25", "99.75"),
            (TypeEnum.WITHDRAWAL, "20.00", "130.00"),
            (TypeEnum.DEPOSIT, "50.00", "150.00"),
            (TypeEnum.OPENING, "100.00", "100.00"),
        ]

        # Refusals arrive as the typed error envelope: a client branches on `code`.
        refused = command(api, "withdraw", bob.id, "1000.00")
        assert refused.status_code == 422 and isinstance(refused.parsed, ErrorOutput)
        assert refused.parsed.code == "insufficient_funds"
        stale = command(api, "deposit", bob.id, "1.00", expected_version=1)
        assert stale.status_code == 409 and isinstance(stale.parsed, ErrorOutput)
        assert stale.parsed.code == "version_conflict"
        assert not isinstance(stale.parsed.current_version, Unset)
        assert stale.parsed.current_version >= 2
        assert read(api, bob.id, 2).balance == "35.25"  # neither refusal moved money
