from django.apps import AppConfig


class AccountsCommandConfig(AppConfig):
    name = "apps.accounts_command"
    label = "accounts_command"
    verbose_name = "Accounts (commands)"

    def ready(self) -> None:
        from apps.eventstore.upcasting import upcasters

        from .infrastructure import upcasters as account_upcasters

        account_upcasters.register(upcasters)
