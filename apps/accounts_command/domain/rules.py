"""Rules on the values a command carries, independent of any account's state."""

from enum import StrEnum

from .errors import InvalidCommand

HOLDER_MAX_LENGTH = 100


class AccountType(StrEnum):
    SAVINGS = "SAVINGS"
    CURRENT = "CURRENT"


def valid_holder(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidCommand("holder", "invalid_holder", "Holder must be a string.")
    holder = value.strip()
    if not holder:
        raise InvalidCommand("holder", "invalid_holder", "Holder must not be blank.")
    if len(holder) > HOLDER_MAX_LENGTH:
        raise InvalidCommand(
            "holder", "invalid_holder", f"Holder must be at most {HOLDER_MAX_LENGTH} characters."
        )
    if not holder.isprintable():
        raise InvalidCommand(
            "holder", "invalid_holder", "Holder must not contain control characters."
        )
    return holder


def valid_account_type(value: object) -> AccountType:
    try:
        return AccountType(value)
    except ValueError:
        choices = ", ".join(t.value for t in AccountType)
        raise InvalidCommand(
            "account_type", "invalid_account_type", f"Account type must be one of: {choices}."
        ) from None
