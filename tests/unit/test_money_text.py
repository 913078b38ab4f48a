"""The domain reads money only from ASCII decimal text, and never keeps a negative zero."""

from decimal import Decimal

import pytest

from apps.accounts_command.domain.account import BankAccount
from apps.accounts_command.domain.errors import InvalidCommand
from apps.accounts_command.domain.money import to_money
from tests.unit.test_account import ACCOUNT_ID, NOW


@pytest.mark.parametrize(
    "raw",
    [
        "\u0661\u0660",  # Arabic-Indic "10"
        "\uff11\uff10",  # fullwidth "10"
        "\u0967",  # Devanagari "1"
        "1_0.00",
        "1_000",
        "+5",
        "5.",
        ".5",
        "1 0",
        "5\u00a0",  # a no-break space is not an ASCII blank
        "\u20075",
        "1e2.5",
        "0x10",
        "1" * 101,
    ],
    ids=repr,
)
def test_to_money_refuses_text_decimal_would_read(raw):
    with pytest.raises(InvalidCommand) as caught:
        to_money(raw, "amount")
    assert caught.value.code == "invalid_amount"
    assert caught.value.detail == "Amount must be a decimal number."


@pytest.mark.parametrize("raw", ["-0", "-0.00", "-0e5", Decimal("-0"), Decimal("-0.00"), -0])
def test_a_negative_zero_opening_balance_is_stored_as_zero(raw):
    amount = to_money(raw, "opening_balance", allow_zero=True)
    assert str(amount) == "0.00"
    assert not amount.is_signed()
    account = BankAccount.open(ACCOUNT_ID, "Ada", "SAVINGS", raw, NOW)
    [event] = account.pull_pending_events()
    assert str(event.opening_balance) == "0.00"


@pytest.mark.parametrize("raw", ["NaN", "-nan", "+Infinity", "sNaN"])
def test_non_finite_text_keeps_its_own_message(raw):
    with pytest.raises(InvalidCommand) as caught:
        to_money(raw, "amount")
    assert caught.value.detail == "Amount must be a finite number."
