"""The command API's documented errors (OpenAPI, through drf-spectacular)."""

from api_platform.schema import (
    AUTH_ERRORS,
    BODY_ERRORS,
    IDEMPOTENCY_ERRORS,
    KEY_IN_PROGRESS,
    KEY_REUSED,
    error,
)

ERRORS = {
    400: error("Invalid input (invalid_input, parse_error, invalid_holder, ...)"),
    **AUTH_ERRORS,
    **IDEMPOTENCY_ERRORS,
    **BODY_ERRORS,
}
ACCOUNT_ERRORS = {
    **ERRORS,
    404: error(
        "Unknown or malformed account id, or the id of a stream that is no account's, such as "
        "a transfer's (account_not_found)"
    ),
    409: error(
        "Stale expected_version (version_conflict), too much contention "
        "(concurrency_conflict), a close while the account takes part in a transfer not yet "
        f"over (transfer_in_flight), or {KEY_IN_PROGRESS}"
    ),
    422: error(
        "Refused by a business rule: insufficient_funds, account_closed, balance_not_zero, "
        "balance_limit_exceeded (also when it would leave no room for the refunds of the "
        f"account's transfers in flight); or {KEY_REUSED}"
    ),
}
