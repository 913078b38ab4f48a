"""Requesting a transfer: the refusals decided at once, then the TransferRequested event."""

from decimal import Decimal
from uuid import UUID, uuid4

from apps.accounts_command.domain.errors import AccountNotFound, DomainError
from techbank.concurrency import ConcurrencyError

from ..domain.transfer import Transfer
from .ports import AccountExists, Clock, TransferRepository, TransferRows


class SameAccount(DomainError):
    code = "same_account"


class TransferRequests:
    def __init__(
        self,
        transfers: TransferRepository,
        rows: TransferRows,
        account_exists: AccountExists,
        clock: Clock,
    ) -> None:
        self.transfers = transfers
        self.rows = rows
        self.account_exists = account_exists
        self.clock = clock

    def request(self, source: UUID, target: UUID, amount: Decimal) -> Transfer:
        if source == target:
            raise SameAccount("A transfer needs two different accounts.")
        for account in (source, target):
            if not self.account_exists(account):
                raise AccountNotFound(f"Account {account} does not exist.")
        transfer = Transfer.request(uuid4(), source, target, amount, self.clock())
        try:
            self.transfers.save(transfer)
        except ConcurrencyError:  # a fresh uuid4 taken: practically never
            raise DomainError("Could not record the transfer; try again.") from None
        # Shown at once; the process manager overwrites it with each later step.
        self.rows.upsert(transfer)
        return transfer
