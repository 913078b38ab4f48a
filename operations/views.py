"""`/healthz`, `/readyz` and `/metrics` of the web server: plain Django views, outside the API.

None of them goes through DRF, so the API's authentication, permissions and throttling never
apply; `/metrics` asks for `Authorization: Bearer <METRICS_TOKEN>` only when that is set, and
`/readyz` shows which check failed and why only to a caller with that token.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from . import exposition, health

View = Callable[[HttpRequest], HttpResponse]


def _read_only(view: View) -> View:
    def wrapped(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse(
                {"code": "method_not_allowed", "detail": f'Method "{request.method}" not allowed.'},
                status=405,
            )
            response["Allow"] = "GET, HEAD"
            return response
        return view(request)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_read_only
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive and serving; touches no server."""
    return JsonResponse({"status": "alive"})


@_read_only
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when MySQL, the event store and Kafka all answer within the deadline, else 503."""
    report = health.PROBE.report()
    authorization = request.headers.get("Authorization")
    if not exposition.may_see_details(authorization, settings.METRICS_TOKEN):
        report = health.public_view(report)
    response = JsonResponse(report, status=200 if report["status"] == "ready" else 503)
    response["Cache-Control"] = "no-store"
    return response


@_read_only
def metrics(request: HttpRequest) -> HttpResponse:
    problem = exposition.token_problem(request.headers.get("Authorization"), settings.METRICS_TOKEN)
    if problem:
        code, detail = problem
        response = JsonResponse({"code": code, "detail": detail}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition.render(), content_type=exposition.CONTENT_TYPE)
