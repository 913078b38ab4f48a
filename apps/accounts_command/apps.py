"""The write side as a Django app (its models carry the command permissions)."""

from django.apps import AppConfig


class AccountsCommandConfig(AppConfig):
    name = "apps.accounts_command"
    label = "accounts_command"
    verbose_name = "Accounts (commands)"
