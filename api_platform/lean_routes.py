"""The lean path beside DRF for the API's hottest reads (issue 20).

Under gunicorn a GET by id cost 1.2-1.5 ms of CPU, against 0.6-0.7 for a bare WSGI callable
doing the same token lookup, SQL and JSON (bench/raw_read.py): the difference was the rest of
Django's middleware chain and DRF's dispatch (bench/README.md, "the lean path"). This middleware
answers the plain case of a few read routes itself, and leaves every other request, unchanged,
to the middleware after it and DRF. The plain case is what DRF would answer from memory:

- a GET of a route in settings.API_LEAN_ROUTES, with JSON acceptable (`Accept` absent, `*/*` or
  `application/json`) and no `format` or credential in the query string;
- a `Token` the process remembers (api_platform/authentication.py: no query, no refusal);
- a role that has the route's permission, and a throttle lease this process already holds
  (api_platform/throttling.py: the request is counted as DRF counts it);
- input the route accepts (a malformed id, a bad filter or cursor go to DRF, for its 4xx).

Everything that may end otherwise (an unknown token, a missing right, a throttle's shared count,
the browsable API, read-your-writes waits) is DRF's, so its answers and their error codes exist
once. What the lean path answers is what DRF answers, body and headers
(tests/api/test_lean_routes.py compares them): DRF's JSON renderer, its `Vary` and `Allow`,
Django's security headers by Django's own middleware code, the error envelope of
api_platform/errors.py for a failure after the request was counted (503 when MySQL is gone).
It sits inside the request id, JSON error, body guard, metrics and probe middleware, which
treat it as any view. API_LEAN_READS=false turns it off.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import ResolverMatch, resolve
from django.utils.module_loading import import_string
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from kernel.slot import Slot

from .actors import bind_caller
from .authentication import CREDENTIAL_PARAMETERS, known_client
from .errors import exception_handler
from .throttling import spend_lease

# Told the view's name of each request answered here (the composition root installs the
# metric, operations/metrics.py: the platform imports no operations).
observer: Slot[Callable[[str], None]] = Slot("the lean path's metric")
JSON_ACCEPTS = frozenset({"*/*", "application/json"})
REFUSED_PARAMETERS = frozenset({"format", *CREDENTIAL_PARAMETERS})


class LeanRoute(Protocol):
    """A read route the lean path answers when it can: what it mirrors and how it answers."""

    pattern: re.Pattern[str]  # the whole path (path_info), as the URLconf matches it
    view: type[APIView]  # the DRF view it stands beside: its throttle scope and permissions
    permission: str  # the role permission DRF's permission class asks

    def prepare(self, request: HttpRequest, match: re.Match[str]) -> Any | None:
        """What `answer` needs, checked; None to leave the request to DRF. No side effects."""

    def answer(self, request: HttpRequest, prepared: Any) -> tuple[int, Any]:
        """(status, data) for DRF's JSON renderer."""


@dataclass
class Mirror:
    """A route, and what its DRF view would put on every answer, worked out once."""

    route: LeanRoute
    allow: str  # DRF's `Allow` header
    scope: str | None  # DRF's throttle scope: the view's; none, not limited
    template: ResolverMatch | None = None  # the URLconf's match, resolved at the first request

    @classmethod
    def of(cls, route: LeanRoute) -> "Mirror":
        return cls(route, allowed(route.view), getattr(route.view, "throttle_scope", None))


class LeanRoutesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.routes = [Mirror.of(import_string(p)()) for p in settings.API_LEAN_ROUTES]
        # Django's own code for the headers the middleware after this one would add.
        self.security = SecurityMiddleware(get_response)
        self.common = CommonMiddleware(get_response)
        self.frames = XFrameOptionsMiddleware(get_response)
        self.renderer = JSONRenderer()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        served = None
        if request.method == "GET" and settings.API_LEAN_READS:
            served = self.serve(request)
        return served if served is not None else self.get_response(request)

    def serve(self, request: HttpRequest) -> HttpResponse | None:
        mirror, match = self.route_of(request.path_info)
        if mirror is None or match is None:
            return None
        route = mirror.route
        if request.META.get("HTTP_ACCEPT", "*/*") not in JSON_ACCEPTS:
            return None
        if not REFUSED_PARAMETERS.isdisjoint(request.GET):
            return None
        client = known_client(request)
        if client is None:
            return None
        user = client[0]
        if not (user.is_active and user.has_perm(route.permission)):
            return None
        prepared = route.prepare(request, match)
        if prepared is None or self.redirected(request):
            return None
        if mirror.scope is not None and not spend_lease(mirror.scope, f"user-{user.pk}"):
            return None
        # From here the request is counted: it is answered here, whatever happens.
        request.user = user
        bind_caller(request, user)  # type: ignore[arg-type]
        request.resolver_match = resolved(mirror, request.path_info, match)
        headers: dict[str, str] = {}
        try:
            status, data = route.answer(request, prepared)
        except Exception as error:  # noqa: BLE001 - answered as DRF answers it, or raised
            status, data, headers = self.refusal(error, request, route)
        if observer.installed:
            observer.get()(route.view.__name__)
        response = self.respond(request, mirror, status, data)
        for name, value in headers.items():  # the handler's own (Retry-After, ...)
            response.headers.setdefault(name, value)
        return response

    def redirected(self, request: HttpRequest) -> bool:
        """Whether Django's middleware would redirect the request (HTTPS, `www.`); it raises
        as it would for a Host outside ALLOWED_HOSTS or a refused user agent."""
        return (
            self.security.process_request(request) is not None
            or self.common.process_request(request) is not None
        )

    def route_of(self, path: str) -> tuple[Mirror | None, re.Match[str] | None]:
        for mirror in self.routes:
            match = mirror.route.pattern.fullmatch(path)
            if match is not None:
                return mirror, match
        return None, None

    def refusal(
        self, error: Exception, request: HttpRequest, route: LeanRoute
    ) -> tuple[int, Any, dict[str, str]]:
        response = exception_handler(error, {"request": request, "view": route.view()})
        if response is None:
            raise error
        return response.status_code, response.data, dict(response.headers)

    def respond(
        self,
        request: HttpRequest,
        mirror: Mirror,
        status: int,
        data: Mapping[str, Any] | list[Any],
    ) -> HttpResponse:
        response = HttpResponse(
            self.renderer.render(data), status=status, content_type="application/json"
        )
        response.headers["Vary"] = "Accept"
        response.headers["Allow"] = mirror.allow
        self.common.process_response(request, response)  # Content-Length
        self.security.process_response(request, response)
        self.frames.process_response(request, response)
        return response


def resolved(mirror: Mirror, path: str, match: re.Match[str]) -> ResolverMatch:
    """The URLconf's match of the request (the metrics' route label), resolved once per route."""
    template = mirror.template
    if template is None:
        template = mirror.template = resolve(path)
    kwargs = match.groupdict()
    names: list[str | None] = [*template.app_names]  # (Django's stubs are invariant)
    spaces: list[str | None] = [*template.namespaces]
    return ResolverMatch(
        template.func,
        (),
        kwargs,
        template.url_name,
        names,
        spaces,
        template.route,
        captured_kwargs=kwargs,
    )


def allowed(view: type[APIView]) -> str:
    """DRF's `Allow` header of the view (HEAD comes with GET when Django sets a view up)."""
    instance = view()
    instance.setup(HttpRequest())
    return ", ".join(instance.allowed_methods)
