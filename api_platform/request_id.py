"""Gives every HTTP request an id: the client's `X-Request-ID`, or a new one."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kernel import request_context

META_KEY = "HTTP_" + request_context.REQUEST_ID_HEADER.upper().replace("-", "_")


class RequestIdMiddleware:
    """Binds the request id for the request's log lines (and the events it stores), and
    returns it in the `X-Request-ID` response header.

    First in MIDDLEWARE: every response, an error of any later middleware or view included,
    passes through here and gets the header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # From META, not request.headers: that builds a dict of every header, per request.
        rid = request_context.accepted_request_id(request.META.get(META_KEY))
        # An attribute of our own on Django's request (logs and errors read it back).
        request.request_id = rid  # type: ignore[attr-defined]
        with request_context.bound(request_id=rid):
            response = self.get_response(request)
        response[request_context.REQUEST_ID_HEADER] = rid
        return response
