"""API paths answer with or without their trailing slash."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import is_valid_path


class ApiTrailingSlashMiddleware:
    """Serves `/api/...` without its trailing slash as if it had one.

    Django's APPEND_SLASH would answer a redirect, which API clients do not follow for a POST
    (and under DEBUG, a POST gets an HTML error page); the admin keeps the redirect.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith("/api/") and not path.endswith("/"):
            with_slash = f"{path}/"
            if is_valid_path(with_slash, getattr(request, "urlconf", None)):
                request.path_info = with_slash
        return self.get_response(request)
