"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techbank.settings")
application = get_asgi_application()

from techbank.bootstrap import web  # noqa: E402  (needs the apps loaded above)

web()
