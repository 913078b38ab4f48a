"""Money rules: Decimal with two places, positive, below a ceiling, never NaN/Infinity."""

from decimal import Decimal, InvalidOperation

from apps.contract.account_events import CENT, MAX_AMOUNT, MAX_BALANCE

from .errors import InvalidCommand

__all__ = ["CENT", "MAX_AMOUNT", "MAX_BALANCE", "to_money"]


def to_money(value: object, field: str, *, allow_zero: bool = False) -> Decimal:
    """Parse `value` into a two-place Decimal or raise InvalidCommand naming `field`."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise InvalidCommand(field, "invalid_amount", "Amount must be a decimal number.")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise InvalidCommand(field, "invalid_amount", "Amount must be a decimal number.") from None
    if not amount.is_finite():
        raise InvalidCommand(field, "invalid_amount", "Amount must be a finite number.")
    if amount < 0 or (amount == 0 and not allow_zero):
        limit = "zero or more" if allow_zero else "greater than zero"
        raise InvalidCommand(field, "invalid_amount", f"Amount must be {limit}.")
    if amount >= MAX_AMOUNT:
        raise InvalidCommand(field, "amount_too_large", f"Amount must be below {MAX_AMOUNT}.")
    # As written, not as valued: "10.000" has three places, and the API refuses it too.
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise InvalidCommand(field, "invalid_amount", "Amount has more than two decimal places.")
    return amount.quantize(CENT)
