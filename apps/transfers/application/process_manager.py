"""The transfers' process manager: drives each transfer to COMPLETED or FAILED.

It reacts to a transfer's events by issuing the next account command, then records the step
on the transfer's stream. Every step is idempotent, keyed by the transfer id: the account
commands do nothing the second time for the same transfer (the account remembers its transfer
steps), and each transfer event is the stream's next version, so a step recorded by another
run of this manager makes ours lose and reload. A crash at any point leaves a state from which
`advance` carries on: the worst a restart does is repeat a step, which then changes nothing.

A step's decision is recorded before any step that depends on it: once the credit was refused,
TransferCreditRefused is stored before the refund, so a retry never credits after refunding.
"""

import logging
from uuid import UUID

from apps.accounts_command.domain.commands import (
    CreditForTransfer,
    DebitForTransfer,
    RefundTransfer,
)
from apps.accounts_command.domain.errors import AccountNotFound, TransactionError
from techbank.concurrency import ConcurrencyError

from ..domain.transfer import Stage, Transfer
from .ports import AccountCommands, Clock, TransferRepository, TransferRows

log = logging.getLogger(__name__)
REFUSED = (TransactionError, AccountNotFound)


class ProcessManager:
    def __init__(
        self,
        transfers: TransferRepository,
        rows: TransferRows,
        accounts: AccountCommands,
        clock: Clock,
    ) -> None:
        self.transfers = transfers
        self.rows = rows
        self.accounts = accounts
        self.clock = clock

    def advance(self, transfer_id: UUID) -> Transfer:
        """Takes the transfer through every step still due; returns it, final."""
        transfer = self.transfers.load(transfer_id)
        while transfer.version and not transfer.final:
            transfer = self._take_step(transfer)
        if transfer.version:
            self.rows.upsert(transfer)  # a crash may have come before the row
        return transfer

    def step(self, transfer_id: UUID) -> Transfer:
        """Takes the one next step of the transfer (if any is due); returns its state."""
        transfer = self.transfers.load(transfer_id)
        return transfer if transfer.final or not transfer.version else self._take_step(transfer)

    def _take_step(self, transfer: Transfer) -> Transfer:
        self._next_step(transfer)
        try:
            self.transfers.save(transfer)
        except ConcurrencyError:  # another run recorded this step first: go on from there
            return self.transfers.load(transfer.id)
        self.rows.upsert(transfer)
        return transfer

    def _next_step(self, transfer: Transfer) -> None:
        source, target = transfer.from_account, transfer.to_account
        assert source is not None and target is not None
        amount, now = transfer.amount, self.clock()
        if transfer.stage is Stage.REQUESTED:
            try:
                self.accounts.dispatch(DebitForTransfer(source, amount, transfer.id))
            except REFUSED as exc:  # nothing moved: the transfer simply fails
                transfer.step("TransferFailed", now, exc.code)
                return
            transfer.step("TransferDebited", now)
        elif transfer.stage is Stage.DEBITED:
            try:
                self.accounts.dispatch(CreditForTransfer(target, amount, transfer.id))
            except REFUSED as exc:
                transfer.step("TransferCreditRefused", now, exc.code)
                return
            transfer.step("TransferCredited", now)
        elif transfer.stage is Stage.CREDITED:
            transfer.step("TransferCompleted", now)
        elif transfer.stage is Stage.COMPENSATING:
            self.accounts.dispatch(RefundTransfer(source, amount, transfer.id))
            transfer.step("TransferCompensated", now)
        elif transfer.stage is Stage.COMPENSATED:
            transfer.step("TransferFailed", now, transfer.reason)
