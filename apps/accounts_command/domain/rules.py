"""Rules on the values a command carries, independent of any account's state."""

from apps.contract.account_events import HOLDER_MAX_LENGTH, AccountType

from .errors import InvalidCommand

__all__ = ["HOLDER_MAX_LENGTH", "AccountType", "valid_account_type", "valid_holder"]


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
    if isinstance(value, str):
        try:
            return AccountType(value)
        except ValueError:
            pass
    choices = ", ".join(t.value for t in AccountType)
    raise InvalidCommand(
        "account_type", "invalid_account_type", f"Account type must be one of: {choices}."
    )
