"""The event contract and the two sides that derive from it agree: no I/O."""

import dataclasses

from apps.accounts_command.domain import money, rules
from apps.accounts_command.infrastructure.event_codec import BASE_FIELDS, EVENT_CLASSES
from apps.contract import account_events
from apps.contract.account_events import EVENTS, MAX_BALANCE, MONEY_MAX_DIGITS


def test_every_domain_event_is_in_the_contract_with_exactly_its_fields():
    assert set(EVENT_CLASSES) == set(EVENTS)
    for name, cls in EVENT_CLASSES.items():
        fields = {f.name for f in dataclasses.fields(cls)} - set(BASE_FIELDS)
        assert fields == set(EVENTS[name].fields), name


def test_the_domain_takes_its_limits_from_the_contract():
    assert money.MAX_AMOUNT is account_events.MAX_AMOUNT
    assert money.MAX_BALANCE is account_events.MAX_BALANCE
    assert rules.HOLDER_MAX_LENGTH == account_events.HOLDER_MAX_LENGTH
    assert rules.AccountType is account_events.AccountType


def test_the_largest_balance_fits_the_read_model_column():
    largest = MAX_BALANCE - account_events.CENT
    assert len(largest.as_tuple().digits) <= MONEY_MAX_DIGITS
