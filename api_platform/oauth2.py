"""The OAuth2 provider's rules (django-oauth-toolkit): role-limited scopes, the token's user,
and the machine endpoints (token, revoke, introspect; people's /o/authorize/: oauth_people.py).

Machine clients use the client-credentials grant. Their tokens act as the application's user
(the API client `create_api_client --oauth` made), so that the role permissions apply to them
as to an API token, and they may only carry the scopes that role allows (kernel/roles.py).
People's tokens (authorization code + PKCE) act as the person, with their roles' scopes. A
token works only while its user is active: a suspension or removal ends it at the next request.
"""

import hashlib
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider import views
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import get_access_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.common import Request as OauthlibRequest
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from api_platform.actors import BindsActor
from api_platform.authentication import CREDENTIAL_PARAMETERS, CredentialInQuery
from kernel import roles


class RoleScopedValidator(OAuth2Validator):
    def validate_scopes(
        self,
        client_id: str,
        scopes: list[str],
        client: Any,
        request: Any,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        # An auditor's client asking for accounts:write gets invalid_scope at /o/token/; so
        # does a person's authorization asking for more than their roles allow.
        return bool(scopes) and set(scopes) <= set(_allowed_scopes(client, request))

    def get_default_scopes(
        self, client_id: str, request: Any, *args: Any, **kwargs: Any
    ) -> list[str]:
        return _allowed_scopes(request.client, request)

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        # A person suspended or removed between consent and the code's exchange gets no token.
        valid = super().validate_code(client_id, code, client, request, *args, **kwargs)
        return valid and request.user is not None and request.user.is_active

    def validate_bearer_token(self, token: str, scopes: list[str], request: Any) -> bool:
        if not super().validate_bearer_token(token, scopes, request):
            return False
        if request.user is None:
            # The toolkit stores client-credentials tokens without a user: they act as the
            # application's user, and only while that user is active.
            application = request.access_token.application
            request.user = application.user if application is not None else None
        return request.user is not None and request.user.is_active


def _allowed_scopes(client: Any, request: Any) -> list[str]:
    """What a token may carry: the machine client's own user's roles allow, or for the people's
    application (no user of its own) the person's who authorizes. Before the person is known
    (the consent page's GET) every scope, which the view then bounds by the logged-in
    person's roles (api_platform/oauth_people.py); the consent's POST is checked here."""
    if client.user_id is not None:
        return roles.scopes_of(client.user)
    person = getattr(request, "user", None)
    return list(roles.SCOPES) if person is None else roles.scopes_of(person)


class BearerAuthentication(BindsActor, OAuth2Authentication):
    """The toolkit's authentication, except that a Bearer token that is unknown, expired or
    revoked is a 401 `authentication_failed` (like a wrong DRF token), not an anonymous call.
    The token's user is bound as the actor of the request (actors.py)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None and _bearer(request):
            raise AuthenticationFailed("The access token is invalid, expired or revoked.")
        return result


def _bearer(request: Request) -> bool:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    return header.split(" ", 1)[0].lower() == "bearer"


class BearerScheme(OpenApiAuthenticationExtension):
    """The OpenAPI schema's `oauth2` security: client credentials at /o/token/ (machines),
    authorization code at /o/authorize/ (people), and the scope each operation's permission
    class requires."""

    target_class = BearerAuthentication
    name = "oauth2"

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list[str]]:
        from api_platform.permissions import HasPermission

        permissions = auto_schema.view.get_permissions()
        scopes = [p.scope for p in permissions if isinstance(p, HasPermission)]
        return {self.name: scopes}

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        machines = {"tokenUrl": "/o/token/", "scopes": roles.SCOPES}
        # People: authorization code with PKCE (S256; the schema has no field for PKCE,
        # the description says it), through the people's application (oauth_people.py).
        people = {"authorizationUrl": "/o/authorize/", **machines}
        return {
            "type": "oauth2",
            "description": "Machines: client credentials. People: authorization code with "
            "PKCE (S256 required), public client OAUTH_PEOPLE_CLIENT_ID. No password grant.",
            "flows": {"clientCredentials": machines, "authorizationCode": people},
        }


class NoCredentialsInQuery:
    """The provider's views refuse a credential in the query string (a token to introspect or
    revoke, a client secret): 400 `credential_in_query`, before anything reads it. (For POSTs
    oauthlib refuses any query string too; this also covers GET /o/introspect/?token=.)"""

    # As the toolkit's own dispatch: a client posts no CSRF token, and needs no login.
    @method_decorator(csrf_exempt)
    @method_decorator(login_not_required)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if any(name in request.GET for name in CREDENTIAL_PARAMETERS):
            error = CredentialInQuery()
            body = {"error": "invalid_request", "code": error.default_code}
            return JsonResponse({**body, "detail": str(error.detail)}, status=400)
        # A mixin: the toolkit's view after it in the MRO has dispatch().
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class TokenView(NoCredentialsInQuery, views.TokenView):
    """/o/token/: the client-credentials grant."""


class RevokeTokenView(NoCredentialsInQuery, views.RevokeTokenView):
    """/o/revoke_token/: the toolkit revokes only tokens of the authenticated client."""


class IntrospectTokenView(NoCredentialsInQuery, views.IntrospectTokenView):
    """/o/introspect/ (RFC 7662), answering `{"active": false}` for a token of another client:
    a client learns about its own tokens only (RFC 7662 section 4 leaves that to the server)."""

    caller: int | None = None  # the authenticated application's primary key

    def authenticate_client(self, request: HttpRequest) -> bool:
        # The toolkit's own check, keeping the client it authenticated (its mixin drops it).
        core = self.get_oauthlib_core()
        uri, method, body, headers = core._extract_params(request)
        oauth_request = OauthlibRequest(uri, method, body, headers)
        valid = core.server.request_validator.authenticate_client(oauth_request)
        if valid:
            self.caller = oauth_request.client.pk
        return bool(valid)

    def verify_request(self, request: HttpRequest) -> tuple[bool, Any]:
        # The other way in: a Bearer token with the `introspection` scope (no role has it).
        valid, oauth_request = super().verify_request(request)
        if valid:
            self.caller = oauth_request.access_token.application_id
        return valid, oauth_request

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        value = request.POST.get("token")
        if value is not None and not self._own(value):
            return JsonResponse({"active": False})
        return self.get_token_response(value)

    def _own(self, value: str) -> bool:
        checksum = hashlib.sha256(value.encode("utf-8")).hexdigest()
        owner = (
            get_access_token_model()
            .objects.filter(token_checksum=checksum)
            .values_list("application_id", flat=True)
            .first()
        )
        return owner is None or owner == self.caller
