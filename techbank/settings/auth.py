"""Settings of authentication: people's passwords (Argon2), knox's API tokens, OAuth2 (client
credentials for machines, authorization code with PKCE for people) and the cache of clients'
rights (part of the settings package: techbank/settings/__init__.py).
"""

from datetime import timedelta

from kernel import roles

from .environment import env

# People's passwords (identity.Credential, apps/identity/infrastructure/passwords.py) are Argon2
# hashes (argon2id, argon2-cffi); a hash made by one of the others is still checked, and
# rewritten as Argon2 at the next successful login. OAuth2 client secrets use the first hasher
# too (the toolkit's CLIENT_SECRET_HASHER "default").
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Where /o/authorize/ sends a person who is not logged in (api_platform/oauth_people.py).
LOGIN_URL = "oauth-login"

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
    # oauthlib's server without the password grant (RFC 9700 section 2.4: a 400
    # unsupported_grant_type whatever an application says), the implicit grant, the device
    # grant or refresh tokens: authorization code (people, PKCE) and client credentials only.
    "OAUTH2_SERVER_CLASS": "api_platform.oauth_grants.TechBankServer",
    "PKCE_REQUIRED": True,
    # An authorization code lives 60 s and is used once (the toolkit's default).
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    # No refresh tokens are issued; this keeps the toolkit's --deploy checks of RFC 9700 quiet
    # should that change. Redirect URIs are https, or http on a loopback address for a
    # native client (RFC 8252 section 7.3; api_platform/oauth_people.py allows that one case).
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

# People's OAuth2 application (authorization code + PKCE, a public client: no secret). `manage.py
# migrate` creates it, or brings its redirect URIs up to date, from these two settings
# (api_platform/oauth_people.py); no redirect URI: no such application, and /o/authorize/ knows
# no client. Each URI https, or http://127.0.0.1:PORT/... for a native app (RFC 8252).
OAUTH_PEOPLE_CLIENT_ID = env.str("OAUTH_PEOPLE_CLIENT_ID", default="techbank-people")
OAUTH_PEOPLE_REDIRECT_URIS = env.list("OAUTH_PEOPLE_REDIRECT_URIS", default=[])

# Seconds a web process remembers a token's client and its permissions (0: not at all): a
# token deleted or a client deactivated or moved to another role elsewhere stops working here
# within this bound (at once when the change is made in this process).
AUTH_CACHE_SECONDS = env.float("AUTH_CACHE_SECONDS", default=5.0)
