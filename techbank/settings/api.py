"""Settings of the REST API: DRF, the OpenAPI schema and its docs, request body limits
(part of the settings package: techbank/settings/__init__.py).
"""

from .environment import env

# --- API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an anonymous call then gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api_platform.authentication.CachedTokenAuthentication",
        "api_platform.oauth2.BearerAuthentication",
        "api_platform.actors.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "api_platform.parsers.DecimalJSONParser",
        "api_platform.parsers.BoundedFormParser",
        "api_platform.parsers.BoundedMultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # An unknown ?format= is a 400 invalid_input, not DRF's bare 404.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api_platform.negotiation.StrictFormatNegotiation",
    "EXCEPTION_HANDLER": "api_platform.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_THROTTLE_CLASSES": ["api_platform.throttling.ClientRateThrottle"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TechBank API",
    "DESCRIPTION": "Bank accounts with CQRS and event sourcing: commands change accounts by "
    "storing events; queries read MySQL read models projected from those events.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Request bodies are documented as JSON only. The API also parses forms (the browsable
    # API's), but one body schema under three media types makes openapi-python-client's
    # generated client send every body as all three at once (clients/python/).
    "PARSER_WHITELIST": ["api_platform.parsers.DecimalJSONParser"],
    # One name for the roles wherever a body or a filter takes one (a role, a list of them).
    "ENUM_NAME_OVERRIDES": {"RoleEnum": "apps.identity.api.serializers.ROLE_CHOICES"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api_platform.schema.forbid_unknown_fields",
        "api_platform.schema.uuid_path_ids",
        "techbank.schema_links.add_links",
    ],
    # Pinned copies from drf-spectacular-sidecar, not a CDN's "latest": no internet needed.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# The lean path beside DRF (api_platform/lean_routes.py): the reads it may answer itself, and
# whether it does (false: DRF answers every request, as before issue 20).
API_LEAN_READS = env.bool("API_LEAN_READS", default=True)
API_LEAN_ROUTES = [
    "apps.accounts_query.api.lean.AccountById",
    "apps.accounts_query.api.lean.AccountList",
]
# The largest request body the API reads (bytes); a larger one is a 413 request_too_large.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=64 * 1024)
# Where the read side serves one account; the command API's Location header points here.
ACCOUNT_QUERY_PATH = "/api/v1/accounts/{id}/"
TRANSFER_QUERY_PATH = "/api/v1/transfers/{id}/"
USER_QUERY_PATH = "/api/v1/users/{id}/"
