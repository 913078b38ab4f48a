"""The project's URLs plus one API view that fails as no view should: for the JSON-500 tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from techbank.urls import handler400, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug no test should see as HTML")


urlpatterns = [path("api/v1/broken/", broken), *urlpatterns]
