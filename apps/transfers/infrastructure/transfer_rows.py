"""The transfers' MySQL rows, written through a version guard."""

from django.db import IntegrityError, transaction

from ..domain.transfer import Transfer
from ..models import TransferRecord


class MySqlTransferRows:
    def upsert(self, transfer: Transfer) -> None:
        fields = {
            "from_account": transfer.from_account,
            "to_account": transfer.to_account,
            "amount": transfer.amount,
            "status": transfer.status,
            "reason": transfer.reason,
            "created_at": transfer.created_at,
            "completed_at": transfer.completed_at,
            "version": transfer.version,
        }
        rows = TransferRecord.objects.filter(id=transfer.id, version__lt=transfer.version)
        if rows.update(**fields):
            return
        try:
            with transaction.atomic():
                TransferRecord.objects.create(id=transfer.id, **fields)
        except IntegrityError:
            pass  # the row exists at this version or a newer one
