"""The identity API's documented errors (OpenAPI, through drf-spectacular)."""

from api_platform.schema import (
    AUTH_ERRORS,
    BODY_ERRORS,
    IDEMPOTENCY_ERRORS,
    KEY_IN_PROGRESS,
    KEY_REUSED,
    error,
)

NOT_FOUND = error("Unknown or malformed user id (user_not_found)")
FORBIDDEN = error(
    "The role lacks the permission or the token the users:write scope (permission_denied, "
    "insufficient_scope); or a change of your own roles or status (forbidden_self_change)"
)
COMMAND_ERRORS = {
    400: error("Invalid input (invalid_input, parse_error; weak_password for a password)"),
    **AUTH_ERRORS,
    403: FORBIDDEN,
    **IDEMPOTENCY_ERRORS,
    **BODY_ERRORS,
}
ON_A_USER = {
    **COMMAND_ERRORS,
    404: NOT_FOUND,
    409: error(
        "Refused by the user's state: last_administrator (the last active administrator "
        "stays one), user_removed, user_not_active, user_not_suspended, wrong_kind (a "
        "person's command on an API client or the reverse), concurrency_conflict; or "
        f"{KEY_IN_PROGRESS}"
    ),
    422: error(f"The Idempotency-Key was used with another request ({KEY_REUSED})"),
}
REGISTER_ERRORS = {
    **COMMAND_ERRORS,
    409: error(f"The name is taken (username_taken), or {KEY_IN_PROGRESS}"),
}
READ_ERRORS = {**AUTH_ERRORS, 404: NOT_FOUND}
LIST_ERRORS = {
    400: error(
        "Invalid filter value, page_size not 1-100, or a cursor that is not one of ours "
        "(invalid_input)"
    ),
    **AUTH_ERRORS,
}
TRAIL_ERRORS = {
    400: error("page_size not 1-100, or a cursor that is not one of ours (invalid_input)"),
    **READ_ERRORS,
}
