"""No tables: the write side keeps its state as events in the event store.

The model below exists only to carry the write side's permissions (Django attaches
permissions to a model's content type); it is unmanaged, so it has no table.
"""

from django.db import models


class CommandAccess(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("execute_commands", "Can run account commands"),
            ("view_events", "Can read an account's event history"),
        ]
