"""One shape for every API error: {"code", "detail"} plus "errors" for field errors.

`code` is stable and machine-readable; clients branch on it, people read `detail`. The one
exception handler below turns DRF's exceptions, an unavailable backing service, and the
refusals a side lists in its status table (class -> Refusal) into that shape.
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import DatabaseError
from django.http import Http404, HttpRequest, JsonResponse
from pymongo.errors import PyMongoError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

log = logging.getLogger(__name__)


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "A backing service is unavailable; try again shortly."
    default_code = "service_unavailable"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request is malformed."
    default_code = "bad_request"


@dataclass(frozen=True)
class Refusal:
    """How an application error with `code` and `detail` attributes is answered."""

    status: int
    extra: Callable[[Any], dict[str, Any]] = field(default=lambda error: {})


class RefusalError(exceptions.APIException):
    def __init__(self, error: Any, refusal: Refusal) -> None:
        super().__init__(error.detail, error.code)
        self.status_code = refusal.status
        self.extra = refusal.extra(error)


def exception_handler(
    exc: Exception, context: dict[str, Any], refusals: Mapping[type, Refusal] | None = None
) -> Response | None:
    known = refusals or {}
    refusal = next((known[c] for c in type(exc).__mro__ if c in known), None)
    if refusal is not None:
        exc = RefusalError(exc, refusal)
    elif isinstance(exc, (PyMongoError, DatabaseError)):
        log.exception("backing service failed")
        exc = ServiceUnavailable()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, Http404):
        # DRF turns these into its own exceptions too, but after this handler has looked: as
        # they came, they would be answered without a `code`.
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):
        # Django's own refusals (too many form fields, ...): a 400, in JSON like the rest.
        log.warning("suspicious request: %s", exc)
        exc = BadRequest(str(exc) or BadRequest.default_detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid_input",
            "detail": "The request has invalid fields.",
            "errors": exc.detail
            if isinstance(exc.detail, dict)
            else {"non_field_errors": exc.detail},
        }
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "code": codes if isinstance(codes, str) else exc.default_code,
            "detail": str(exc.detail),
            **getattr(exc, "extra", {}),
        }
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse({"code": "request_too_large", "detail": str(exception)}, status=413)
    return JsonResponse({"code": "bad_request", "detail": "The request is malformed."}, status=400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse({"code": "not_found", "detail": "No such resource."}, status=404)


def server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"code": "server_error", "detail": "Internal server error."}, status=500)
