"""WSGI entry point (gunicorn techbank.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techbank.settings")
application = get_wsgi_application()

from techbank.bootstrap import web  # noqa: E402  (needs the apps loaded above)

web()
