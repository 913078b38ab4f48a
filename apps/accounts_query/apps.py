"""The read side as a Django app (read models, console, the worker and replay commands)."""

from django.apps import AppConfig


class AccountsQueryConfig(AppConfig):
    name = "apps.accounts_query"
    label = "accounts_query"
    verbose_name = "Accounts (read models)"
