"""The application's URLs plus `POST /bench/noop/`: the raw limit of the gunicorn+Django+DRF stack.

The no-op view goes through the same middleware, DRF request parsing and JSON rendering as the
command API, but skips authentication, the permission check and the command itself.
"""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbank.urls import handler404, handler500
from techbank.urls import urlpatterns as app_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


class NoopApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def post(self, request: Request) -> Response:
        return Response({"ok": True, "fields": len(request.data)})

    def get(self, request: Request) -> Response:
        # The raw limit of the read figures: a GET through the same stack, answered from memory.
        return Response({"ok": True, "fields": len(request.query_params)})


urlpatterns = [path("bench/noop/", NoopApi.as_view(), name="bench-noop"), *app_urlpatterns]
