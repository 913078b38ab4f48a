"""The API's schema and documentation pages, served with nothing from another host, and
limited like every route (scope `docs`: per client, or per address when anonymous)."""

from typing import Any

from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.request import Request
from rest_framework.response import Response


class SchemaView(SpectacularAPIView):
    throttle_scope = "docs"


class SwaggerView(SpectacularSwaggerView):
    throttle_scope = "docs"


class RedocView(SpectacularRedocView):
    """ReDoc from the pinned sidecar copy, without the Google Fonts links (see the template).

    ReDoc's sidebar always shows Redocly's logo from its CDN. The policy below keeps the browser
    from fetching any image from elsewhere, so opening the docs never contacts a third party;
    the logo's `onError` then hides it.
    """

    template_name = "api/redoc.html"
    throttle_scope = "docs"

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = "img-src 'self' data:"
        return response
