"""The stale-cache rate: when a load from the cache reads the events after it first."""

import uuid

from apps.accounts_command.infrastructure.stale_cache import MAX_UNREAD, THRESHOLD, StaleCacheRate


def refused_appends_until_reading_forward(rate: StaleCacheRate) -> int:
    refusals = 0
    while not rate.read_forward():
        account = uuid.uuid4()
        rate.loaded_unread(account)
        rate.appended(account, refused=True)
        refusals += 1
    return refusals


def test_a_process_whose_appends_are_refused_starts_reading_forward():
    rate = StaleCacheRate()
    assert not rate.read_forward()  # one process alone: trust the cache
    assert 1 < refused_appends_until_reading_forward(rate) < 10
    assert rate.rate > THRESHOLD


def test_reads_that_find_nothing_newer_bring_it_back_to_trusting_the_cache():
    rate = StaleCacheRate()
    refused_appends_until_reading_forward(rate)
    fresh = 0
    while rate.read_forward():
        rate.was_stale(False)
        fresh += 1
    assert 0 < fresh < 10
    # While reads keep finding newer events, it keeps reading forward.
    refused_appends_until_reading_forward(rate)
    for _ in range(100):
        rate.was_stale(True)
    assert rate.read_forward()


def test_only_appends_on_states_loaded_unread_count():
    rate = StaleCacheRate()
    account = uuid.uuid4()
    rate.appended(account, refused=True)  # loaded from the store, or read forward: not counted
    assert rate.rate == 0.0
    rate.loaded_unread(account)
    rate.appended(account, refused=True)
    counted = rate.rate
    assert counted > 0.0
    rate.appended(account, refused=True)  # counted once per load
    assert rate.rate == counted


def test_states_loaded_and_never_appended_on_are_not_remembered_forever():
    rate = StaleCacheRate()
    for _ in range(MAX_UNREAD + 5):
        rate.loaded_unread(uuid.uuid4())  # refused commands: no append follows
    assert len(rate._unread) <= MAX_UNREAD
