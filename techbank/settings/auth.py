"""Settings of API authentication: OAuth2 tokens and the cache of DRF tokens
(part of the settings package: techbank/settings/__init__.py).
"""

from kernel import roles

from .environment import env

# OAuth2 (django-oauth-toolkit at /o/): client credentials, scopes limited by role.
OAUTH2_PROVIDER = {
    "SCOPES": roles.SCOPES,
    "DEFAULT_SCOPES": list(roles.SCOPES),
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OAUTH2_ACCESS_TOKEN_SECONDS", default=3600),
    "OAUTH2_VALIDATOR_CLASS": "api_platform.oauth2.RoleScopedValidator",
}

# Seconds a web process remembers a token's client and its permissions (0: not at all): a
# token deleted or a client deactivated or moved to another role elsewhere stops working here
# within this bound (at once when the change is made in this process).
AUTH_CACHE_SECONDS = env.float("AUTH_CACHE_SECONDS", default=5.0)
