"""OpenAPI pieces both sides' views use to document their error responses."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .strict import StrictInput


class ErrorOutput(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    detail = serializers.CharField()
    errors = serializers.DictField(
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


def _subclasses(cls: type) -> set[type]:
    direct = set(cls.__subclasses__())
    return direct.union(*(_subclasses(sub) for sub in direct))


def forbid_unknown_fields(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular hook: a StrictInput's request body has `additionalProperties: false`."""
    schemas = result.get("components", {}).get("schemas", {})
    for cls in _subclasses(StrictInput):
        schema = schemas.get(f"{cls.__name__}Request")
        if schema is not None:
            schema["additionalProperties"] = False
    return result
