"""The command API's documented errors and headers (OpenAPI, through drf-spectacular)."""

from drf_spectacular.utils import OpenApiParameter

from techbank.api.schema import AUTH_ERRORS, BODY_ERRORS, error

from .idempotency import HEADER

ERRORS = {
    400: error("Invalid input (invalid_input, parse_error, invalid_amount, ...)"),
    **AUTH_ERRORS,
    409: error(
        "The first request with this Idempotency-Key still runs (idempotency_key_in_progress)"
    ),
    422: error("The Idempotency-Key was used with another request (idempotency_key_reused)"),
    **BODY_ERRORS,
}
ACCOUNT_ERRORS = {
    **ERRORS,
    404: error("Unknown or malformed account id (account_not_found)"),
    409: error(
        "Stale expected_version (version_conflict), too much contention "
        "(concurrency_conflict), or idempotency_key_in_progress"
    ),
    422: error(
        "Refused by a business rule: insufficient_funds, account_closed, balance_not_zero, "
        "balance_limit_exceeded; or idempotency_key_reused"
    ),
}
IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    description="1-255 printable ASCII characters. A repeat with the same key and body gets "
    "the first answer again (Idempotent-Replayed: true) and stores nothing.",
)
