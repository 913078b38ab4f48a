"""Every error under /api/ and /o/ is the project's JSON: {"code", "detail"}, whatever made it
(but the people's login and consent pages, which are HTML for a person).

DRF's views answer errors in JSON already; but Django itself answers some before any view runs
or after one fails (a bad Host header, a SuspiciousOperation, an uncaught exception - an HTML
debug page under DEBUG) and those are HTML. This middleware, outermost, rewrites them.
Only a browser that negotiated DRF's browsable API (Accept: text/html) keeps its HTML page.
"""

import logging
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.response import Response

API_PREFIX = "/api/"
# The OAuth2 provider's own errors are RFC 6749 JSON ({"error": ...}) and stay so; Django's
# answers there (405 on GET /o/token/, ...) become the project's JSON too.
JSON_PREFIXES = (API_PREFIX, "/o/")
# ... except the pages a person's browser shows (api_platform/oauth_people.py): their errors
# (an unregistered redirect URI, say) are pages for that person, not for a program.
PEOPLE_PAGES = ("/o/authorize/", "/o/login/")
CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    411: "length_required",
    413: "request_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
    503: "service_unavailable",
}
# Headers that still mean something on the rewritten answer.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After", "Vary")

log = logging.getLogger(__name__)


def is_json(response: HttpResponse) -> bool:
    media_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def is_browsable_page(response: HttpResponse) -> bool:
    """A DRF response rendered as HTML because the client asked for HTML."""
    renderer = getattr(response, "accepted_renderer", None)
    return isinstance(response, Response) and getattr(renderer, "media_type", "") == "text/html"


def json_error(status: int) -> JsonResponse:
    try:
        detail = HTTPStatus(status).phrase + "."
    except ValueError:
        detail = "Error."
    code = CODES.get(status, "server_error" if status >= 500 else "bad_request")
    return JsonResponse({"code": code, "detail": detail}, status=status)


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith(JSON_PREFIXES)
            or request.path_info.startswith(PEOPLE_PAGES)
            or is_json(response)
            or is_browsable_page(response)
        ):
            return response
        # Django has logged the exception behind a 5xx already (django.request), with its trace.
        log.info("rewrote a non-JSON %s for %s as JSON", response.status_code, request.path_info)
        rewritten = json_error(response.status_code)
        # Django logs each error response once; the rewrite is the same error, not a second one.
        # (_has_been_logged is Django's private flag, which django-stubs does not declare.)
        rewritten._has_been_logged = getattr(response, "_has_been_logged", False)  # type: ignore[attr-defined]
        for header in KEPT_HEADERS:
            if header in response:
                rewritten[header] = response[header]
        return rewritten
