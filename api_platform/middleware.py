"""API paths answer with or without their trailing slash, and skip what only pages use."""

from collections.abc import Awaitable, Callable

from django.contrib.messages.middleware import MessageMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase
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


class MessagesOutsideApiMiddleware(MessageMiddleware):
    """Django's messages (the admin's "saved" notices) everywhere but under /api/.

    Building the message storage (a cookie and a session store) for every API request, which
    never shows a message, was 2% of a GET's CPU (bench/README.md, cpu_per_command).
    """

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if request.path_info.startswith("/api/"):
            return self.get_response(request)
        return super().__call__(request)
