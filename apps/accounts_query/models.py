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
