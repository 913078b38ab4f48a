"""The OAuth2 provider's rules (django-oauth-toolkit): role-limited scopes and the token's user.

Machine clients use the client-credentials grant. Their tokens act as the application's user
(the API client `create_api_client --oauth` made), so that the role permissions apply to them
as to a DRF token, and they may only carry the scopes that role allows (kernel/roles.py).
"""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.oauth2_validators import OAuth2Validator
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

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
        # An auditor's client asking for accounts:write gets invalid_scope at /o/token/.
        allowed = roles.scopes_of(client.user)
        return bool(scopes) and set(scopes) <= set(allowed)

    def get_default_scopes(
        self, client_id: str, request: Any, *args: Any, **kwargs: Any
    ) -> list[str]:
        return roles.scopes_of(request.client.user)

    def validate_bearer_token(self, token: str, scopes: list[str], request: Any) -> bool:
        if not super().validate_bearer_token(token, scopes, request):
            return False
        if request.user is None:
            # The toolkit stores client-credentials tokens without a user: they act as the
            # application's user, and only while that user is active.
            application = request.access_token.application
            request.user = application.user if application is not None else None
        return request.user is not None and request.user.is_active


class BearerAuthentication(OAuth2Authentication):
    """The toolkit's authentication, except that a Bearer token that is unknown, expired or
    revoked is a 401 `authentication_failed` (like a wrong DRF token), not an anonymous call."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None and _bearer(request):
            raise AuthenticationFailed("The access token is invalid, expired or revoked.")
        return result


def _bearer(request: Request) -> bool:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    return header.split(" ", 1)[0].lower() == "bearer"


class BearerScheme(OpenApiAuthenticationExtension):
    """The OpenAPI schema's `oauth2` security: client credentials at /o/token/, and the scope
    each operation's permission class requires."""

    target_class = BearerAuthentication
    name = "oauth2"

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list[str]]:
        from api_platform.permissions import HasPermission

        permissions = auto_schema.view.get_permissions()
        scopes = [p.scope for p in permissions if isinstance(p, HasPermission)]
        return {self.name: scopes}

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        flow = {"tokenUrl": "/o/token/", "scopes": roles.SCOPES}
        return {"type": "oauth2", "flows": {"clientCredentials": flow}}
