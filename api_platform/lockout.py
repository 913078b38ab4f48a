"""What a locked-out login attempt gets (django-axes' AXES_LOCKOUT_CALLABLE).

The same JSON error format as the API, status 429 and `Retry-After` (the cool-off left), for
the admin's and the browsable API's login forms alike.
"""

from math import ceil
from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, JsonResponse


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: dict | None = None
) -> JsonResponse:
    cool_off = get_cool_off(request)
    seconds = ceil(cool_off.total_seconds()) if cool_off else None
    detail = (
        f"Too many failed login attempts; try again in {ceil(seconds / 60)} minutes."
        if seconds
        else "Too many failed login attempts; ask an administrator to unlock the account."
    )
    response = JsonResponse(
        {"code": "too_many_login_attempts", "detail": detail},
        status=429,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
