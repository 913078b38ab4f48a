"""The transfers' read model in MySQL: one row per transfer, the state its stream folds to.

Projected by `run_transfers` from the transfer events (infrastructure/transfer_projection.py),
through a version guard, so a row never moves back.
"""

from django.db import models


class TransferRecord(models.Model):
    class Status(models.TextChoices):
        PENDING = "PENDING", "Pending"
        COMPLETED = "COMPLETED", "Completed"
        FAILED = "FAILED", "Failed"

    id = models.UUIDField(primary_key=True)
    from_account = models.UUIDField(db_index=True)
    to_account = models.UUIDField(db_index=True)
    amount = models.DecimalField(max_digits=15, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    # created_at + the request's timeout_seconds; null on rows projected before it existed.
    deadline = models.DateTimeField(null=True, blank=True)
    # The transfer stream's version this row shows.
    version = models.PositiveIntegerField()

    class Meta:
        ordering = ["created_at", "id"]
        # The list's cursor pages walk this order.
        indexes = [models.Index(fields=["created_at", "id"], name="transfer_created_id")]

    def __str__(self) -> str:
        return f"{self.from_account} -> {self.to_account} {self.amount} {self.status}"
