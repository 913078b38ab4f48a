"""Read models in MySQL, projected from the account events. Only the projector writes here."""

from django.db import models


class Account(models.Model):
    class Status(models.TextChoices):
        OPEN = "OPEN", "Open"
        CLOSED = "CLOSED", "Closed"

    class Type(models.TextChoices):
        SAVINGS = "SAVINGS", "Savings"
        CURRENT = "CURRENT", "Current"

    id = models.UUIDField(primary_key=True)
    holder = models.CharField(max_length=100, db_index=True)
    account_type = models.CharField(max_length=16, choices=Type.choices)
    balance = models.DecimalField(max_digits=15, decimal_places=2, db_index=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # The stream version last applied: an event at or below it is a duplicate.
    version = models.PositiveIntegerField()
    # The time of the last applied event (not of the write), so a replay reproduces it.
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["opened_at", "id"]
        indexes = [
            models.Index(fields=["status", "balance"], name="account_status_balance"),
            models.Index(fields=["opened_at", "id"], name="account_opened"),
        ]

    # Every column, in the order the API, the admin and the bulk writer show and write them.
    FIELDS = (
        "id",
        "holder",
        "account_type",
        "balance",
        "status",
        "opened_at",
        "closed_at",
        "version",
        "updated_at",
    )

    def __str__(self) -> str:
        return f"{self.holder} ({self.account_type}) {self.balance}"


class ReplayEpoch(models.Model):
    """One row, bumped by every write of a replay.

    A worker checks it at the start of each batch, in the batch's transaction: when it moved,
    the rows the worker remembers may be older than what the replay wrote, so it forgets them
    and reads MySQL. The replay's write holds the row's lock until it commits, so no batch can
    fold from remembered rows across a replay's write.
    """

    id = models.PositiveSmallIntegerField(primary_key=True)
    epoch = models.PositiveBigIntegerField(default=0)


class StatementLine(models.Model):
    """One money movement of an account: a line of its statement, at the event's version.

    Written by the projector in the transaction that writes the account's row; (account,
    version) is unique, so an event delivered again never adds a second line.
    """

    class Type(models.TextChoices):
        OPENING = "OPENING", "Opening balance"
        DEPOSIT = "DEPOSIT", "Deposit"
        WITHDRAWAL = "WITHDRAWAL", "Withdrawal"
        TRANSFER_IN = "TRANSFER_IN", "Transfer in"
        TRANSFER_OUT = "TRANSFER_OUT", "Transfer out"

    # No database constraint: lines and rows are written in bulk, in any order, and a replay
    # removes the lines of unknown accounts itself. The relation is for the ORM and the admin.
    account = models.ForeignKey(
        Account,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the unique (account, version) index starts with it
        related_name="statement_lines",
    )
    version = models.PositiveIntegerField()
    type = models.CharField(max_length=16, choices=Type.choices)
    amount = models.DecimalField(max_digits=15, decimal_places=2)
    balance_after = models.DecimalField(max_digits=15, decimal_places=2)
    # The event's time, so a replay reproduces it.
    timestamp = models.DateTimeField()
    transfer_id = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "version"], name="statement_line_version")
        ]
        indexes = [models.Index(fields=["account", "timestamp"], name="statement_line_time")]

    # The columns the projector writes, in the order of its INSERT.
    COLUMNS = (
        "account_id",
        "version",
        "type",
        "amount",
        "balance_after",
        "timestamp",
        "transfer_id",
    )

    def __str__(self) -> str:
        return f"{self.account_id} v{self.version} {self.type} {self.amount}"
