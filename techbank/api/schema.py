"""OpenAPI pieces both sides' views use to document their error responses."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


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
