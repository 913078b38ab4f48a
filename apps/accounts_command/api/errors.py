"""The command API's status table: which HTTP status answers each refusal (the code is the
error's own). api_platform/errors.exception_handler reads it; the most specific class wins."""

from api_platform.errors import Refusal

from ..application.as_of import NoStateThen
from ..application.errors import ConcurrencyExhausted
from ..domain.errors import (
    AccountAlreadyExists,
    AccountNotFound,
    DomainError,
    InvalidCommand,
    TransactionError,
    TransferInFlight,
    VersionConflict,
)

REFUSALS: dict[type, Refusal] = {
    InvalidCommand: Refusal(400, lambda e: {"errors": {e.field: [e.detail]}}),
    AccountNotFound: Refusal(404),
    NoStateThen: Refusal(404),
    VersionConflict: Refusal(409, lambda e: {"current_version": e.current_version}),
    ConcurrencyExhausted: Refusal(409),
    AccountAlreadyExists: Refusal(409),
    TransferInFlight: Refusal(409),
    TransactionError: Refusal(422),
    DomainError: Refusal(400),
}
