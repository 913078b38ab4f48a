"""Every URL of the web process: the probes, the four contexts' APIs under /api/v1/, the
schema and docs, the admin console, the OAuth2 provider (machines' and people's)."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView

from api_platform import errors
from api_platform.docs import RedocView, SchemaView, SwaggerView
from api_platform.oauth_people import PeopleAuthorizationView, PeopleLoginView
from api_platform.oauth_throttle import (
    ThrottledIntrospectTokenView,
    ThrottledRevokeTokenView,
    ThrottledTokenView,
)
from api_platform.root import ApiRoot
from operations import views as ops

# The three that check a client's secret are limited per client id and per address; people's
# authorization page and its login are password pages, which django-axes limits.
oauth2_urls = [
    path("authorize/", PeopleAuthorizationView.as_view(), name="authorize"),
    path("token/", ThrottledTokenView.as_view(), name="token"),
    path("revoke_token/", ThrottledRevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", ThrottledIntrospectTokenView.as_view(), name="introspect"),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api-root")),
    # Probes and metrics: top level, outside the API (no token, no throttling).
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics, name="metrics"),
    path("api/v1/", ApiRoot.as_view(), name="api-root"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("apps.accounts_command.api.urls")),
    path("api/v1/", include("apps.accounts_query.api.urls")),
    path("api/v1/", include("apps.transfers.api.urls")),
    path("api/v1/", include("apps.identity.api.urls")),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path("api-auth/", include("rest_framework.urls")),
    # The OAuth2 provider: only these four of the toolkit's endpoints, at its default paths
    # (no application registration, no implicit or password grant), and people's login page.
    path("o/login/", PeopleLoginView.as_view(), name="oauth-login"),
    path("o/", include((oauth2_urls, "oauth2_provider"))),
    # Unknown API paths answer JSON even under DEBUG, where handler404 is not used; exempt
    # from CSRF, or a POST would get Django's HTML 403 page before the 404.
    re_path(r"^api/", csrf_exempt(errors.not_found)),
]

handler400 = "api_platform.errors.bad_request"
handler404 = "api_platform.errors.not_found"
handler500 = "api_platform.errors.server_error"
