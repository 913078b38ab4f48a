"""`?format=` on an API view: a renderer's name, or a 400 like any other bad parameter.

DRF answers a format it has no renderer for with Http404, which its exception handling turns
into a bare {"detail": "Not found."}: no `code`, and a 404 for what is a bad parameter.

And what nearly every API client sends (`Accept: application/json`, `*/*` or nothing) is
answered without DRF's general negotiation, which parses the header into media types and
matches each against each renderer: 7% of a GET's CPU (bench/README.md, cpu_per_command). The
answer is the same: the first renderer that gives JSON.
"""

from collections.abc import Iterable
from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

# Accept headers that mean "JSON" (or "anything", which the first renderer, JSON, answers).
PLAIN_JSON = frozenset({"", "*/*", "application/json"})


class StrictFormatNegotiation(DefaultContentNegotiation):
    # DRF hands in the view's list of renderers (the stubs say any iterable): indexed here.
    def select_renderer(  # type: ignore[override]
        self, request: Any, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        accept = request.META.get("HTTP_ACCEPT", "").strip()
        if (
            accept in PLAIN_JSON
            and format_suffix is None
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
            and renderers
            and renderers[0].media_type == "application/json"
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)

    def filter_renderers(
        self, renderers: Iterable[BaseRenderer], format: str
    ) -> list[BaseRenderer]:
        renderers = list(renderers)
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            known = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise ValidationError({"format": [f"Not one of: {known}."]})
        return chosen
