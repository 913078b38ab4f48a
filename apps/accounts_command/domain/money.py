"""Money rules: Decimal with two places, positive, below a ceiling, never NaN/Infinity."""

import re
from decimal import Decimal, InvalidOperation

from apps.contract.account_events import CENT, MAX_AMOUNT, MAX_BALANCE

from .errors import InvalidCommand

__all__ = ["CENT", "MAX_AMOUNT", "MAX_BALANCE", "to_money"]

# The only text the domain reads as a number: ASCII digits, an optional minus (refused below
# with its own message), a fraction with digits after the point and an exponent. Decimal()
# itself would also take non-ASCII digits, "1_0", "+5", "5." and ".5": no client means money.
DECIMAL_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?", re.ASCII)
# Text longer than this is no amount, and Decimal() need not spend time on it.
MAX_TEXT_LENGTH = 100


def _not_a_number(field: str) -> InvalidCommand:
    return InvalidCommand(field, "invalid_amount", "Amount must be a decimal number.")


def _parse(value: object, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise _not_a_number(field)
    if isinstance(value, str):
        # Surrounding ASCII blanks are tolerated (as ever); anything inside is not.
        text = value.strip(" \t\r\n")
        if len(text) > MAX_TEXT_LENGTH or not DECIMAL_TEXT.fullmatch(text):
            non_finite = text.lstrip("+-").lower() in {"nan", "snan", "inf", "infinity"}
            if non_finite:
                raise InvalidCommand(field, "invalid_amount", "Amount must be a finite number.")
            raise _not_a_number(field)
        value = text
    try:
        return Decimal(value)
    except InvalidOperation:
        raise _not_a_number(field) from None


def to_money(value: object, field: str, *, allow_zero: bool = False) -> Decimal:
    """Parse `value` into a two-place Decimal or raise InvalidCommand naming `field`."""
    amount = _parse(value, field)
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
    # Decimal("-0") passes the sign check; stored, it would read "-0.00" for ever.
    return abs(amount).quantize(CENT) if amount == 0 else amount.quantize(CENT)
