"""The admin with the operator console: Django's admin app, with the console's site."""

from django.contrib.admin.apps import AdminConfig


class ConsoleAdminConfig(AdminConfig):
    default_site = "apps.accounts_query.console.site.ConsoleAdminSite"
