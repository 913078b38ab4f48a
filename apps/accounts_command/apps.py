from django.apps import AppConfig


class AccountsCommandConfig(AppConfig):
    name = "apps.accounts_command"
    label = "accounts_command"
    verbose_name = "Accounts (commands)"
