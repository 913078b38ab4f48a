"""Every route has a throttle scope with a rate in THROTTLE_RATES, found from the URL resolver
(so a route added later without one fails here), except the few listed with their reason."""

from django.conf import settings
from django.urls import resolve
from rest_framework.views import APIView

from api_platform.throttling import ClientRateThrottle
from tests.harness.routes import every_route

# Route prefixes that are not the API's, and why no per-client budget applies to them.
EXEMPT = {
    "": "a redirect to the API root (no work)",
    "healthz": "probes: must answer an orchestrator under any load; cheap by design",
    "readyz": "probes: must answer an orchestrator under any load; cheap by design",
    "metrics": "probes: the scraper's; METRICS_TOKEN guards it",
    "admin/": "staff pages behind a password login, which django-axes limits",
    "api-auth/": "the browsable API's password login, which django-axes limits",
    # The toolkit's pages that need a logged-in Django user (authorize, applications):
    # their logins are django-axes'. Its three secret-checking endpoints are not exempt.
    "o/": "the OAuth2 toolkit's login-session pages (django-axes limits their logins)",
    "^api/": "the JSON 404 of an unknown API path (no work)",
}


def scopes_of(callback: object) -> tuple[str, ...]:
    view = getattr(callback, "view_class", None)  # as_view() of a class-based view, DRF's too
    if view is None:
        return ()
    if issubclass(view, APIView):
        assert ClientRateThrottle in view.throttle_classes, view
        scope = getattr(view, "throttle_scope", None)
        return (scope,) if scope else ()
    return tuple(getattr(view, "throttle_scopes", ()))


def exempt(route: str) -> bool:
    return route in EXEMPT or any(
        route.startswith(prefix) for prefix in EXEMPT if prefix.endswith("/")
    )


def test_every_route_has_a_throttle_scope_with_a_rate():
    unscoped = [
        route for route, callback in every_route() if not scopes_of(callback) and not exempt(route)
    ]
    assert unscoped == []
    for route, callback in every_route():
        for scope in scopes_of(callback):
            assert scope in settings.THROTTLE_RATES, (route, scope)


def test_the_named_scopes_are_where_the_issue_says():
    def scoped(path: str) -> tuple[str, ...]:
        return scopes_of(resolve(path).func)  # what serves the path, not what it shadows

    account, transfer = "00000000-0000-0000-0000-000000000001", "x"
    assert scoped(f"/api/v1/accounts/{account}/as-of/") == ("as_of",)
    assert scoped(f"/api/v1/accounts/{account}/transactions/") == ("statement",)
    assert scoped(f"/api/v1/accounts/{account}/events/") == ("events",)
    assert scoped("/api/v1/transfers/") == ("transfers",)
    assert scoped(f"/api/v1/transfers/{transfer}/") == ("transfers",)
    user = "00000000-0000-0000-0000-000000000002"
    for path in (
        "/api/v1/users/",
        f"/api/v1/users/{user}/",
        f"/api/v1/users/{user}/events/",
        f"/api/v1/users/{user}/suspend/",
        f"/api/v1/users/{user}/reinstate/",
        "/api/v1/api-clients/",
        f"/api/v1/api-clients/{user}/rotate-secret/",
        f"/api/v1/api-clients/{user}/revoke/",
    ):
        assert scoped(path) == ("users",), path
    # Each new password is an Argon2 hash (and a person's own a check of the current one).
    assert scoped(f"/api/v1/users/{user}/password/") == ("passwords",)
    for endpoint in ("/o/token/", "/o/revoke_token/", "/o/introspect/"):
        assert set(scoped(endpoint)) == {"token_client", "token_address"}


def test_every_scope_is_used_by_a_route():
    used = {scope for _, callback in every_route() for scope in scopes_of(callback)}
    assert used == set(settings.THROTTLE_RATES)
