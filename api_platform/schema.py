"""OpenAPI pieces both sides' views use to document their error responses."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .idempotency import HEADER
from .strict import StrictInput


class ErrorOutput(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    detail = serializers.CharField()
    # A field named `errors` (DRF keeps fields apart from its `errors` property; the stubs do not).
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field errors: field name -> messages.",
    )
    current_version = serializers.IntegerField(required=False)


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorOutput, description=description)


AUTH_ERRORS = {
    401: error("No or bad credentials (not_authenticated, authentication_failed)"),
    403: error("Authenticated, but the role lacks the permission (permission_denied)"),
    429: error("Too many requests from this client (throttled); retry after Retry-After s"),
}

BODY_ERRORS = {
    413: error("The body is larger than API_MAX_BODY_BYTES (request_too_large)"),
    415: error(
        "Not JSON, a form or multipart, or a charset other than UTF-8/16/32 "
        "(unsupported_media_type)"
    ),
}

# An endpoint that takes the key (api_platform/idempotency.py) documents these; its own 409s
# and 422s name these codes next to its own.
IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    description="1-255 printable ASCII characters. A repeat with the same key and body gets "
    "the first answer again (Idempotent-Replayed: true) and stores nothing.",
)
KEY_IN_PROGRESS = "idempotency_key_in_progress"
KEY_REUSED = "idempotency_key_reused"
IDEMPOTENCY_ERRORS = {
    409: error(f"The first request with this Idempotency-Key still runs ({KEY_IN_PROGRESS})"),
    422: error(f"The Idempotency-Key was used with another request ({KEY_REUSED})"),
}


def _subclasses(cls: type) -> set[type]:
    direct: set[type] = set(cls.__subclasses__())
    return direct.union(*(_subclasses(sub) for sub in direct))


def forbid_unknown_fields(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular hook: a StrictInput's request body has `additionalProperties: false`."""
    schemas = result.get("components", {}).get("schemas", {})
    for cls in _subclasses(StrictInput):
        schema = schemas.get(f"{cls.__name__}Request")
        if schema is not None:
            schema["additionalProperties"] = False
    return result


def uuid_path_ids(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular hook: a path parameter named `*_id` is a UUID (format: uuid).

    The URLs take any text there (a malformed id is an unknown resource, 404, not a routing
    miss), so drf-spectacular can only call it a string; a client should send a UUID.
    """
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name", "").endswith("_id"):
                    parameter.setdefault("schema", {})["format"] = "uuid"
    return result
