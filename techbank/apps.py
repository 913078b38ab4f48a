"""The project package as a Django app: it registers the shell's system checks (checks.py) and
the people's OAuth2 application's post_migrate hook."""

from django.apps import AppConfig


class TechBankConfig(AppConfig):
    """The project package as an app, so that its system checks are registered."""

    name = "techbank"
    verbose_name = "TechBank"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from api_platform.oauth_people import ensure_after_migrate

        from . import checks  # noqa: F401 (registers the checks)

        # `migrate` creates the people's OAuth2 application, or updates it, from the settings.
        post_migrate.connect(
            ensure_after_migrate,
            sender=apps.get_app_config("oauth2_provider"),
            dispatch_uid="people-oauth-application",
        )
