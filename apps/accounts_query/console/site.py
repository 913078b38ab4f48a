"""The admin site with the operator's console: projection lag per partition on the index, and
the dead letters on a page of their own. Both read Kafka on each request and change nothing;
when Kafka does not answer they say "unavailable" rather than fail the page."""

from __future__ import annotations

import logging
from typing import Any

from confluent_kafka import KafkaException
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.http import require_safe

from apps.messaging import dead_letters
from kernel.roles import VIEW_ACCOUNTS

from .projection_lag import projection_lag

log = logging.getLogger(__name__)

DEAD_LETTERS_SHOWN = 500  # the page lists the topic's latest letters


class ConsoleAdminSite(admin.AdminSite):
    index_template = "admin/console/index.html"

    def get_urls(self) -> list[URLResolver | URLPattern]:
        console = [
            path(
                "dead-letters/",
                self.admin_view(require_safe(self.dead_letters_view)),
                name="dead_letters",
            ),
        ]
        return console + super().get_urls()

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        context = dict(extra_context or {})
        if request.user.has_perm(VIEW_ACCOUNTS):
            context.update(self._lag_context())
        return super().index(request, context)

    def _lag_context(self) -> dict[str, Any]:
        topic, group = settings.KAFKA_EVENTS_TOPIC, settings.KAFKA_CONSUMER_GROUP
        try:
            lags = projection_lag(settings.KAFKA_BOOTSTRAP_SERVERS, topic, group)
        except KafkaException as exc:
            log.warning("projection lag unavailable: %s", exc)
            lags = None
        return {"projection_lag": lags, "lag_topic": topic, "lag_group": group, "lag_shown": True}

    def dead_letters_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm(VIEW_ACCOUNTS):
            raise PermissionDenied
        topic = settings.KAFKA_DEAD_LETTER_TOPIC
        try:
            # What is read within a page's patience is shown; the rest waits for a reload.
            letters = dead_letters.read(
                settings.KAFKA_BOOTSTRAP_SERVERS,
                topic,
                last=DEAD_LETTERS_SHOWN,
                timeout=5.0,
                complete=False,
            )
        except KafkaException as exc:
            log.warning("dead letters unavailable: %s", exc)
            letters = None
        context = {
            **self.each_context(request),
            "title": "Dead letters",
            "topic": topic,
            "dead_letters": letters,
        }
        return TemplateResponse(request, "admin/console/dead_letters.html", context)
