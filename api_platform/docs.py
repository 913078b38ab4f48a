"""The API's documentation pages, served with nothing from another host."""

from typing import Any

from drf_spectacular.views import SpectacularRedocView
from rest_framework.request import Request
from rest_framework.response import Response


class RedocView(SpectacularRedocView):
    """ReDoc from the pinned sidecar copy, without the Google Fonts links (see the template).

    ReDoc's sidebar always shows Redocly's logo from its CDN. The policy below keeps the browser
    from fetching any image from elsewhere, so opening the docs never contacts a third party;
    the logo's `onError` then hides it.
    """

    template_name = "api/redoc.html"

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = "img-src 'self' data:"
        return response
