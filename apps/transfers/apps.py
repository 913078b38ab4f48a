"""The transfers context as a Django app (its read model and `run_transfers`)."""

from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "apps.transfers"
    label = "transfers"
    default_auto_field = "django.db.models.BigAutoField"
