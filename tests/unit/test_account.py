"""The BankAccount aggregate and its rules, in plain Python: no database, no Django, no I/O."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from apps.accounts_command.domain.account import AccountSnapshot, BankAccount
from apps.accounts_command.domain.errors import (
    AccountIsClosed,
    BalanceLimitExceeded,
    BalanceNotZero,
    DomainError,
    InsufficientFunds,
    InvalidCommand,
    TransactionError,
)
from apps.accounts_command.domain.events import (
    AccountClosed,
    AccountOpened,
    DomainEvent,
    FundsDeposited,
    FundsWithdrawn,
)
from apps.accounts_command.domain.money import MAX_AMOUNT, MAX_BALANCE, to_money
from apps.accounts_command.domain.rules import AccountType, valid_account_type, valid_holder

NOW = datetime(2024, 5, 17, 9, 30, tzinfo=UTC)
ACCOUNT_ID = UUID("12345678-1234-5678-1234-567812345678")


def opened(balance="100.00", account_type="SAVINGS", holder="Ada Lovelace"):
    return BankAccount.open(ACCOUNT_ID, holder, account_type, balance, NOW)


def state(account):
    return (
        account.id,
        account.version,
        account.holder,
        account.account_type,
        account.balance,
        account.closed,
    )


# --- opening ---------------------------------------------------------------------------


def test_open_records_one_account_opened_event_at_version_1():
    account = opened("100.50")

    assert state(account) == (
        ACCOUNT_ID,
        1,
        "Ada Lovelace",
        "SAVINGS",
        Decimal("100.50"),
        False,
    )
    assert account.exists
    [event] = account.pull_pending_events()
    assert type(event) is AccountOpened
    assert event.aggregate_id == ACCOUNT_ID
    assert event.version == 1
    assert event.timestamp == NOW
    assert event.holder == "Ada Lovelace"
    assert event.account_type == "SAVINGS"
    assert event.opening_balance == Decimal("100.50")
    assert isinstance(event.event_id, UUID)


def test_pull_pending_events_empties_the_pending_list():
    account = opened()
    assert len(account.pull_pending_events()) == 1
    assert account.pull_pending_events() == []


def test_a_new_account_object_does_not_exist_until_it_has_an_event():
    account = BankAccount(uuid4())
    assert not account.exists
    assert account.version == 0
    assert account.balance == Decimal("0.00")


def test_open_with_zero_opening_balance_is_allowed():
    account = opened("0")
    assert account.balance == Decimal("0.00")
    assert str(account.balance) == "0.00"


@pytest.mark.parametrize("account_type", ["SAVINGS", "CURRENT", AccountType.CURRENT])
def test_open_accepts_every_account_type(account_type):
    account = opened(account_type=account_type)
    assert account.account_type == str(account_type)
    [event] = account.pull_pending_events()
    assert event.account_type == str(account_type)
    assert type(event.account_type) is str


def test_open_trims_the_holder():
    assert opened(holder="  Grace Hopper \n").holder == "Grace Hopper"


@pytest.mark.parametrize(
    ("holder", "account_type", "balance", "code"),
    [
        ("", "SAVINGS", "1.00", "invalid_holder"),
        ("Ada", "savings", "1.00", "invalid_account_type"),
        ("Ada", "SAVINGS", "-1.00", "invalid_amount"),
        ("Ada", "SAVINGS", "1000000000.00", "amount_too_large"),
    ],
)
def test_open_refuses_invalid_values(holder, account_type, balance, code):
    with pytest.raises(InvalidCommand) as caught:
        BankAccount.open(ACCOUNT_ID, holder, account_type, balance, NOW)
    assert caught.value.code == code


def test_open_refuses_an_opening_balance_with_a_field_name():
    with pytest.raises(InvalidCommand) as caught:
        opened("abc")
    assert caught.value.field == "opening_balance"
    assert caught.value.code == "invalid_amount"


# --- deposits, withdrawals, closing ---------------------------------------------------------


def test_deposit_records_funds_deposited_with_the_new_balance():
    account = opened("100.00")
    account.pull_pending_events()
    later = NOW + timedelta(minutes=1)

    account.deposit("25.50", later)

    assert account.balance == Decimal("125.50")
    assert account.version == 2
    [event] = account.pull_pending_events()
    assert type(event) is FundsDeposited
    assert (event.version, event.amount, event.balance) == (2, Decimal("25.50"), Decimal("125.50"))
    assert event.timestamp == later


def test_withdraw_records_funds_withdrawn_with_the_new_balance():
    account = opened("100.00")
    account.pull_pending_events()

    account.withdraw(Decimal("40"), NOW)

    assert account.balance == Decimal("60.00")
    [event] = account.pull_pending_events()
    assert type(event) is FundsWithdrawn
    assert (event.version, event.amount, event.balance) == (2, Decimal("40.00"), Decimal("60.00"))


def test_withdrawing_the_whole_balance_is_allowed():
    account = opened("100.00")
    account.withdraw("100.00", NOW)
    assert account.balance == Decimal("0.00")


def test_close_records_account_closed():
    account = opened("0.00")
    account.pull_pending_events()

    account.close(NOW)

    assert account.closed
    assert account.version == 2
    [event] = account.pull_pending_events()
    assert type(event) is AccountClosed
    assert event.version == 2


def test_versions_run_1_to_n_over_a_history():
    account = opened("10.00")
    account.deposit("5.00", NOW)
    account.withdraw("3.00", NOW)
    account.deposit("1.00", NOW)
    account.withdraw("13.00", NOW)
    account.close(NOW)

    events = account.pull_pending_events()

    assert [e.version for e in events] == [1, 2, 3, 4, 5, 6]
    assert [type(e).__name__ for e in events] == [
        "AccountOpened",
        "FundsDeposited",
        "FundsWithdrawn",
        "FundsDeposited",
        "FundsWithdrawn",
        "AccountClosed",
    ]
    assert len({e.event_id for e in events}) == 6
    assert {e.aggregate_id for e in events} == {ACCOUNT_ID}
    assert account.version == 6


# --- refusals ------------------------------------------------------------------------------


def test_withdrawing_more_than_the_balance_is_refused_and_changes_nothing():
    account = opened("100.00")
    account.pull_pending_events()

    with pytest.raises(InsufficientFunds) as caught:
        account.withdraw("100.01", NOW)

    assert caught.value.code == "insufficient_funds"
    assert isinstance(caught.value, TransactionError)
    assert account.balance == Decimal("100.00")
    assert account.version == 1
    assert account.pull_pending_events() == []


def test_closing_with_money_left_is_refused():
    account = opened("0.01")
    with pytest.raises(BalanceNotZero) as caught:
        account.close(NOW)
    assert caught.value.code == "balance_not_zero"
    assert not account.closed
    assert account.version == 1


@pytest.mark.parametrize(
    "act",
    [
        lambda account: account.deposit("1.00", NOW),
        lambda account: account.withdraw("1.00", NOW),
        lambda account: account.close(NOW),
    ],
    ids=["deposit", "withdraw", "close"],
)
def test_a_closed_account_refuses_every_command(act):
    account = opened("0.00")
    account.close(NOW)
    account.pull_pending_events()

    with pytest.raises(AccountIsClosed) as caught:
        act(account)

    assert caught.value.code == "account_closed"
    assert account.version == 2
    assert account.pull_pending_events() == []


def test_an_invalid_amount_is_reported_before_a_closed_account():
    account = opened("0.00")
    account.close(NOW)
    with pytest.raises(InvalidCommand) as caught:
        account.deposit("-1", NOW)
    assert caught.value.code == "invalid_amount"
    assert caught.value.field == "amount"


def balance_near_the_limit(balance):
    snapshot = AccountSnapshot(ACCOUNT_ID, 7, "Rich", "CURRENT", Decimal(balance), False)
    return BankAccount.from_snapshot(snapshot)


def test_a_deposit_reaching_the_balance_limit_is_refused():
    account = balance_near_the_limit("999999999999.99")

    with pytest.raises(BalanceLimitExceeded) as caught:
        account.deposit("0.01", NOW)

    assert caught.value.code == "balance_limit_exceeded"
    assert account.balance == Decimal("999999999999.99")
    assert account.version == 7
    assert account.pull_pending_events() == []


def test_a_deposit_staying_just_below_the_balance_limit_is_allowed():
    account = balance_near_the_limit("999999999999.98")
    account.deposit("0.01", NOW)
    assert account.balance == MAX_BALANCE - Decimal("0.01")
    assert account.version == 8


def test_domain_error_codes_are_stable():
    assert InsufficientFunds("x").code == "insufficient_funds"
    assert AccountIsClosed("x").code == "account_closed"
    assert BalanceNotZero("x").code == "balance_not_zero"
    assert BalanceLimitExceeded("x").code == "balance_limit_exceeded"
    error = InsufficientFunds("no money")
    assert error.detail == "no money"
    assert isinstance(error, DomainError)


# --- rebuilding and snapshots -----------------------------------------------------------


def a_history():
    account = opened("50.00", account_type="CURRENT", holder="Alan Turing")
    account.deposit("20.25", NOW)
    account.withdraw("70.25", NOW)
    account.deposit("3.00", NOW)
    account.withdraw("3.00", NOW)
    account.close(NOW)
    return account


def test_rebuilding_from_the_events_gives_the_live_aggregate():
    live = a_history()
    events = live.pull_pending_events()

    rebuilt = BankAccount.rebuild(ACCOUNT_ID, events)

    assert state(rebuilt) == state(live)
    assert rebuilt.snapshot() == live.snapshot()
    assert rebuilt.pull_pending_events() == []


@pytest.mark.parametrize("cut", [1, 2, 3, 4, 5, 6])
def test_rebuilding_from_a_snapshot_and_the_later_events_gives_the_live_aggregate(cut):
    live = a_history()
    events = live.pull_pending_events()
    snapshot = BankAccount.rebuild(ACCOUNT_ID, events[:cut]).snapshot()
    assert snapshot.version == cut

    rebuilt = BankAccount.rebuild(ACCOUNT_ID, events[cut:], snapshot)

    assert state(rebuilt) == state(live)


def test_every_prefix_of_the_history_rebuilds_its_intermediate_balance():
    live = opened("10.00")
    live.deposit("5.00", NOW)
    live.withdraw("12.50", NOW)
    events = live.pull_pending_events()
    balances = [BankAccount.rebuild(ACCOUNT_ID, events[:n]).balance for n in (1, 2, 3)]
    assert balances == [Decimal("10.00"), Decimal("15.00"), Decimal("2.50")]


def test_snapshot_round_trip():
    live = a_history()
    snapshot = live.snapshot()

    assert snapshot == AccountSnapshot(
        ACCOUNT_ID, 6, "Alan Turing", "CURRENT", Decimal("0.00"), True
    )
    restored = BankAccount.from_snapshot(snapshot)
    assert state(restored) == state(live)
    assert restored.snapshot() == snapshot
    assert restored.pull_pending_events() == []


def test_an_account_restored_from_a_snapshot_continues_its_versions():
    snapshot = AccountSnapshot(ACCOUNT_ID, 41, "Ada", "SAVINGS", Decimal("10.00"), False)
    account = BankAccount.from_snapshot(snapshot)
    account.deposit("1.00", NOW)
    [event] = account.pull_pending_events()
    assert event.version == 42
    assert event.balance == Decimal("11.00")


def test_applying_an_event_out_of_order_is_refused():
    events = a_history().pull_pending_events()
    with pytest.raises(ValueError, match="does not follow"):
        BankAccount.rebuild(ACCOUNT_ID, [events[0], events[2]])


def test_applying_the_same_event_twice_is_refused():
    [event] = opened().pull_pending_events()
    with pytest.raises(ValueError):
        BankAccount.rebuild(ACCOUNT_ID, [event, event])


def test_applying_an_unknown_event_type_is_refused():
    event = DomainEvent(uuid4(), ACCOUNT_ID, 1, NOW)
    with pytest.raises(TypeError):
        BankAccount(ACCOUNT_ID).apply(event)


# --- money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10", "10.00"),
        ("10.5", "10.50"),
        ("0.01", "0.01"),
        ("1e3", "1000.00"),
        ("1E2", "100.00"),
        (" 7.25 ", "7.25"),
        (42, "42.00"),
        (Decimal("3.10"), "3.10"),
        ("999999999.99", "999999999.99"),
    ],
)
def test_to_money_accepts_and_quantizes(raw, expected):
    amount = to_money(raw, "amount")
    assert amount == Decimal(expected)
    assert str(amount) == expected
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("NaN", "invalid_amount"),
        ("nan", "invalid_amount"),
        ("sNaN", "invalid_amount"),
        ("Infinity", "invalid_amount"),
        ("-Infinity", "invalid_amount"),
        ("inf", "invalid_amount"),
        (Decimal("NaN"), "invalid_amount"),
        (Decimal("Infinity"), "invalid_amount"),
        ("0.001", "invalid_amount"),
        ("10.005", "invalid_amount"),
        ("10.000", "invalid_amount"),
        (Decimal("5.000000"), "invalid_amount"),
        ("-1", "invalid_amount"),
        ("-0.01", "invalid_amount"),
        (-5, "invalid_amount"),
        ("0", "invalid_amount"),
        ("0.00", "invalid_amount"),
        ("-0", "invalid_amount"),
        (0, "invalid_amount"),
        (True, "invalid_amount"),
        (False, "invalid_amount"),
        (10.5, "invalid_amount"),
        (None, "invalid_amount"),
        ([], "invalid_amount"),
        ("", "invalid_amount"),
        ("   ", "invalid_amount"),
        ("ten", "invalid_amount"),
        ("1,000.00", "invalid_amount"),
        ("1000000000", "amount_too_large"),
        ("1000000000.00", "amount_too_large"),
        ("1e9", "amount_too_large"),
        ("1e400", "amount_too_large"),
        (10**30, "amount_too_large"),
        (MAX_AMOUNT, "amount_too_large"),
    ],
)
def test_to_money_refuses(raw, code):
    with pytest.raises(InvalidCommand) as caught:
        to_money(raw, "amount")
    assert caught.value.code == code
    assert caught.value.field == "amount"
    assert caught.value.detail


def test_zero_is_allowed_only_where_asked():
    assert to_money("0", "opening_balance", allow_zero=True) == Decimal("0.00")
    assert to_money(0, "opening_balance", allow_zero=True) == Decimal("0.00")
    with pytest.raises(InvalidCommand) as caught:
        to_money("-0.01", "opening_balance", allow_zero=True)
    assert caught.value.code == "invalid_amount"
    assert caught.value.field == "opening_balance"


def test_just_below_the_amount_ceiling_is_allowed_and_the_ceiling_is_not():
    assert to_money(MAX_AMOUNT - Decimal("0.01"), "amount") == Decimal("999999999.99")
    with pytest.raises(InvalidCommand):
        to_money(MAX_AMOUNT, "amount")


@pytest.mark.parametrize(
    ("act", "code"),
    [
        (lambda a: a.deposit("NaN", NOW), "invalid_amount"),
        (lambda a: a.deposit(0, NOW), "invalid_amount"),
        (lambda a: a.deposit(1.5, NOW), "invalid_amount"),
        (lambda a: a.deposit("1000000000", NOW), "amount_too_large"),
        (lambda a: a.withdraw("Infinity", NOW), "invalid_amount"),
        (lambda a: a.withdraw("-10", NOW), "invalid_amount"),
        (lambda a: a.withdraw("0.001", NOW), "invalid_amount"),
        (lambda a: a.withdraw(True, NOW), "invalid_amount"),
    ],
)
def test_commands_refuse_invalid_amounts_and_record_nothing(act, code):
    account = opened("100.00")
    account.pull_pending_events()
    with pytest.raises(InvalidCommand) as caught:
        act(account)
    assert caught.value.code == code
    assert caught.value.field == "amount"
    assert account.version == 1
    assert account.balance == Decimal("100.00")
    assert account.pull_pending_events() == []


# --- holder and account type ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ada Lovelace", "Ada Lovelace"),
        ("  Ada  ", "Ada"),
        ("\tAda\n", "Ada"),
        ("A", "A"),
        ("Zoë Ñúñez-O'Brien", "Zoë Ñúñez-O'Brien"),
        ("x" * 100, "x" * 100),
        ("  " + "x" * 100 + "  ", "x" * 100),
    ],
)
def test_valid_holder_accepts_and_trims(raw, expected):
    assert valid_holder(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "\t\n",
        "x" * 101,
        " " + "x" * 101 + " ",
        "Ada\nLovelace",
        "Ada\tLovelace",
        "Ada\x00",
        "Ada\x1b[31m",
        "Ada\u200bLovelace",
        None,
        42,
        ["Ada"],
    ],
    ids=repr,
)
def test_valid_holder_refuses(raw):
    with pytest.raises(InvalidCommand) as caught:
        valid_holder(raw)
    assert caught.value.code == "invalid_holder"
    assert caught.value.field == "holder"


@pytest.mark.parametrize("raw", ["SAVINGS", "CURRENT"])
def test_valid_account_type_accepts_the_known_types(raw):
    assert valid_account_type(raw) is AccountType(raw)


def test_there_are_exactly_two_account_types():
    assert {t.value for t in AccountType} == {"SAVINGS", "CURRENT"}


@pytest.mark.parametrize("raw", ["savings", "Current", "CHECKING", "", " SAVINGS", None, 1])
def test_valid_account_type_refuses_anything_else(raw):
    with pytest.raises(InvalidCommand) as caught:
        valid_account_type(raw)
    assert caught.value.code == "invalid_account_type"
    assert caught.value.field == "account_type"
