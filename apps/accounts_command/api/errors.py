"""Maps the domain's refusals to HTTP: each keeps its stable code."""

from rest_framework import exceptions, status

from ..domain.errors import (
    AccountAlreadyExists,
    AccountNotFound,
    DomainError,
    InvalidCommand,
    TransactionError,
    VersionConflict,
)


class DomainRefusal(exceptions.APIException):
    def __init__(self, error: DomainError, status_code: int, **extra: object) -> None:
        super().__init__(error.detail, error.code)
        self.status_code = status_code
        self.extra = extra


def to_api_error(error: DomainError) -> exceptions.APIException:
    if isinstance(error, InvalidCommand):
        return DomainRefusal(
            error, status.HTTP_400_BAD_REQUEST, errors={error.field: [error.detail]}
        )
    if isinstance(error, AccountNotFound):
        return DomainRefusal(error, status.HTTP_404_NOT_FOUND)
    if isinstance(error, VersionConflict):
        extra = {"current_version": error.current_version} if error.current_version > 0 else {}
        return DomainRefusal(error, status.HTTP_409_CONFLICT, **extra)
    if isinstance(error, AccountAlreadyExists):
        return DomainRefusal(error, status.HTTP_409_CONFLICT)
    if isinstance(error, TransactionError):
        return DomainRefusal(error, status.HTTP_422_UNPROCESSABLE_ENTITY)
    return DomainRefusal(error, status.HTTP_400_BAD_REQUEST)
