"""Requesting a transfer: the refusals decided at once, then its deadline, then its event."""

from decimal import Decimal
from uuid import UUID, uuid4

from apps.accounts_command.domain.errors import AccountNotFound, DomainError
from kernel.concurrency import ConcurrencyError

from ..domain.transfer import Transfer
from .ports import AccountExists, Clock, Deadlines, TransferRepository


class SameAccount(DomainError):
    code = "same_account"


class TransferRequests:
    def __init__(
        self,
        transfers: TransferRepository,
        deadlines: Deadlines,
        account_exists: AccountExists,
        clock: Clock,
        timeout_seconds: int,
    ) -> None:
        self.transfers = transfers
        self.deadlines = deadlines
        self.account_exists = account_exists
        self.clock = clock
        self.timeout_seconds = timeout_seconds

    def request(self, source: UUID, target: UUID, amount: Decimal) -> Transfer:
        if source == target:
            raise SameAccount("A transfer needs two different accounts.")
        for account in (source, target):
            if not self.account_exists(account):
                raise AccountNotFound(f"Account {account} does not exist.")
        transfer = Transfer.request(
            uuid4(), source, target, amount, self.clock(), self.timeout_seconds
        )
        assert transfer.deadline is not None
        # The entry first: once TransferRequested is stored, its deadline is too, whenever this
        # process dies. An entry whose event never got stored fires once and is forgotten.
        self.deadlines.register(transfer.id, transfer.deadline, None)
        try:
            self.transfers.save(transfer)
        except ConcurrencyError:  # a fresh uuid4 taken: practically never
            raise DomainError("Could not record the transfer; try again.") from None
        return transfer
