"""OAuth2 for people: the authorization-code grant with PKCE (S256) at /o/authorize/, its login
page (/o/login/) and consent page, and the people's public application registered from settings.

A person logs in with their password (checked by the identity context's backend, limited by
django-axes), sees which scopes the application asks for, and allows it; the application gets
a code at its redirect URI and exchanges it with its code_verifier at /o/token/. The token's
scopes are at most what the person's roles allow (kernel/roles.scopes_of): asked for none, the
application gets all of those; asked for more, it gets `invalid_scope`.

The people's application is one public client (no secret: a browser or a native app cannot
keep one; PKCE binds the code to the app that asked for it), named by OAUTH_PEOPLE_CLIENT_ID
with OAUTH_PEOPLE_REDIRECT_URIS. `manage.py migrate` creates it or brings it up to date from
those settings (`ensure_people_application`, a post_migrate hook), as it does the roles.
"""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from oauth2_provider import views
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.models import get_application_model
from oauthlib.oauth2.rfc6749 import errors

from kernel import roles

PEOPLE_APPLICATION_NAME = "TechBank for people"
LOOPBACK_HOSTS = ("127.0.0.1", "::1")


def redirect_uri_problem(uri: str) -> str | None:
    """Why `uri` may not be a people's redirect URI (None: it may): https, or http on a loopback
    address for a native app (RFC 8252 section 7.3); never a fragment (RFC 6749 3.1.2)."""
    parts = urlsplit(uri)
    if not parts.netloc or parts.fragment:
        return "an absolute URI without a fragment"
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        return None
    return "https, or http on 127.0.0.1 or [::1] (RFC 8252)"


def ensure_people_application(using: str = "default") -> Any:
    """The people's application as the settings describe it (created or updated); None when no
    redirect URI is set (an existing one then keeps no URI: every authorization is refused)."""
    client_id: str = settings.OAUTH_PEOPLE_CLIENT_ID
    uris: list[str] = list(settings.OAUTH_PEOPLE_REDIRECT_URIS)
    for uri in uris:
        problem = redirect_uri_problem(uri)
        if problem is not None:
            raise ImproperlyConfigured(f"OAUTH_PEOPLE_REDIRECT_URIS: {uri!r} must be {problem}.")
    model = get_application_model()
    existing = model.objects.using(using).filter(client_id=client_id).first()
    if existing is None and not uris:
        return None
    if existing is not None and existing.user_id is not None:
        raise ImproperlyConfigured(
            f"OAUTH_PEOPLE_CLIENT_ID {client_id!r} names an API client's application."
        )
    wanted = {
        "name": PEOPLE_APPLICATION_NAME,
        "client_type": model.CLIENT_PUBLIC,
        "authorization_grant_type": model.GRANT_AUTHORIZATION_CODE,
        "redirect_uris": " ".join(uris),
        "skip_authorization": False,
        "algorithm": "",
    }
    if existing is None:
        return model.objects.using(using).create(client_id=client_id, user=None, **wanted)
    changed = [name for name, value in wanted.items() if getattr(existing, name) != value]
    for name in changed:
        setattr(existing, name, wanted[name])
    if changed:
        existing.save(using=using, update_fields=changed)
    return existing


def ensure_after_migrate(using: str = "default", **_: Any) -> None:
    """post_migrate receiver (connected in techbank/apps.py)."""
    ensure_people_application(using)


def allowed_scopes(scopes: list[str], person: Any, asked: bool) -> list[str]:
    """The scopes a person's token gets: what their roles allow when the application asked for
    none, exactly what it asked for when the roles allow all of it; else invalid_scope."""
    allowed = roles.scopes_of(person)
    if not asked:
        scopes = allowed
    if not scopes or not set(scopes) <= set(allowed):
        raise errors.InvalidScopeError(description="Your roles do not allow these scopes.")
    return scopes


class LoopbackRedirect:
    """Redirects to the client: https, and http only to a loopback address (RFC 8252 7.3: the
    native app's own listener; the application's URIs were checked when it was registered)."""

    def redirect(self, redirect_to: str, application: Any) -> HttpResponse:
        schemes = ["https"]
        if urlsplit(redirect_to).hostname in LOOPBACK_HOSTS:
            schemes.append("http")
        return OAuth2ResponseRedirect(redirect_to, schemes)


class PeopleAuthorizationView(LoopbackRedirect, views.AuthorizationView):
    """/o/authorize/: a logged-in person's consent (LOGIN_URL, /o/login/, for anyone else)."""

    template_name = "oauth/authorize.html"

    def validate_authorization_request(self, request: HttpRequest) -> tuple[list[str], dict]:
        scopes, credentials = super().validate_authorization_request(request)
        try:
            scopes = allowed_scopes(scopes, request.user, asked="scope" in request.GET)
        except errors.OAuth2Error as error:
            error.state = credentials.get("state")
            error.redirect_uri = credentials["redirect_uri"]
            raise OAuthToolkitError(error=error, redirect_uri=credentials["redirect_uri"]) from None
        return scopes, credentials


class PeopleLoginView(auth_views.LoginView):
    """/o/login/: a person's password (the identity backend; django-axes counts failures)."""

    template_name = "oauth/login.html"
