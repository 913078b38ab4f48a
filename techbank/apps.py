"""The project package as a Django app: it registers the shell's system checks (checks.py)."""

from django.apps import AppConfig


class TechBankConfig(AppConfig):
    """The project package as an app, so that its system checks are registered."""

    name = "techbank"
    verbose_name = "TechBank"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the checks)
