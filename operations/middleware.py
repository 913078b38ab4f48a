"""HTTP middleware of the probes and metrics: request metrics, and probes served early."""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import resolve

from .metrics import observe_http

# Requests no URL pattern matched (unknown paths, static files) share one label.
UNMATCHED = "<unmatched>"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestMetricsMiddleware:
    """Outermost middleware: sees every answer, including other middleware's and errors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # Django's route of the root URL is "", which Prometheus would read as no label.
        route = UNMATCHED if match is None else (match.route or "/")
        method = request.method if request.method in METHODS else "other"
        observe_http(route, method, response.status_code, time.perf_counter() - started)
        return response


class ProbeMiddleware:
    """Answers `/healthz`, `/readyz` and `/metrics` before the rest of the middleware.

    Load balancers and Prometheus address a server by its IP, a Host that ALLOWED_HOSTS
    refuses (a 400 page); these views build no URL from the Host, so it is not checked here.
    """

    PATHS = frozenset({"/healthz", "/readyz", "/metrics"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info not in self.PATHS:
            return self.get_response(request)
        match = resolve(request.path_info, getattr(request, "urlconf", None))
        request.resolver_match = match  # the route label of the request metrics
        return match.func(request, *match.args, **match.kwargs)
