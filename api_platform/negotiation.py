"""`?format=` on an API view: a renderer's name, or a 400 like any other bad parameter.

DRF answers a format it has no renderer for with Http404, which its exception handling turns
into a bare {"detail": "Not found."}: no `code`, and a 404 for what is a bad parameter.
"""

from collections.abc import Iterable

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer


class StrictFormatNegotiation(DefaultContentNegotiation):
    def filter_renderers(
        self, renderers: Iterable[BaseRenderer], format: str
    ) -> list[BaseRenderer]:
        renderers = list(renderers)
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            known = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise ValidationError({"format": [f"Not one of: {known}."]})
        return chosen
