"""Settings of API authentication: knox's API tokens, OAuth2 tokens and the cache of both
clients' rights (part of the settings package: techbank/settings/__init__.py).
"""

from datetime import timedelta

from kernel import roles

from .environment import env

# API tokens (`Authorization: Token ...`, django-rest-knox): stored as SHA-512 digests, each
# expiring API_TOKEN_TTL_DAYS after `create_api_client` printed it (no sliding renewal: a
# stolen token's life is bounded). Knox's own header prefix, so DRF-era clients send the same.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
if API_TOKEN_TTL_DAYS < 1:
    raise ValueError("API_TOKEN_TTL_DAYS must be at least 1: API tokens always expire.")
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}

# OAuth2 (django-oauth-toolkit at /o/token/, /o/revoke_token/, /o/introspect/): client
# credentials, scopes limited by role, and every RFC 9700 gate of the toolkit enforced: tokens
# kept only as SHA-256 checksums (the token column stays blank), no access token taken from a
# query string, no implicit or password grant, no plain PKCE.
OAUTH2_PROVIDER = {
    "SCOPES": roles.SCOPES,
    "DEFAULT_SCOPES": list(roles.SCOPES),
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OAUTH2_ACCESS_TOKEN_SECONDS", default=3600),
    "OAUTH2_VALIDATOR_CLASS": "api_platform.oauth2.RoleScopedValidator",
    # No refresh tokens are issued (client credentials), and no redirect URIs are used; these
    # two keep the toolkit's --deploy checks of RFC 9700 quiet should either change.
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}

# Seconds a web process remembers a token's client and its permissions (0: not at all): a
# token deleted or a client deactivated or moved to another role elsewhere stops working here
# within this bound (at once when the change is made in this process).
AUTH_CACHE_SECONDS = env.float("AUTH_CACHE_SECONDS", default=5.0)
