"""The transfers API's own refusal table and base view.

Which HTTP status answers each refusal the request service raises (the code is the error's
own); api_platform/errors.exception_handler reads the table, the most specific class wins.
The transfers' own 404 for an id that is no transfer is `transfer_not_found`; a bad field,
filter or page size is DRF's ValidationError, answered 400 `invalid_input`.
"""

from collections.abc import Callable
from functools import partial

from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api_platform.errors import Refusal, exception_handler
from apps.accounts_command.domain.errors import AccountNotFound, DomainError, InvalidCommand

from ..application.requests import SameAccount

REFUSALS: dict[type, Refusal] = {
    SameAccount: Refusal(400),  # same_account
    AccountNotFound: Refusal(404),  # account_not_found: unknown, or not an account's stream
    InvalidCommand: Refusal(400, lambda e: {"errors": {e.field: [e.detail]}}),
    DomainError: Refusal(400),
}


class TransferNotFound(NotFound):
    default_detail = "No such transfer."
    default_code = "transfer_not_found"


class TransfersApiView(GenericAPIView):
    """What every view of the transfers API shares: its refusals answered from its table, and
    one budget per client for requesting, listing and reading transfers."""

    throttle_scope = "transfers"

    def get_exception_handler(self) -> Callable[..., Response | None]:
        return partial(exception_handler, refusals=REFUSALS)
