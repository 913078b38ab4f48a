"""Signing and checking events (apps/contract/signing.py): no I/O."""

from __future__ import annotations

import pytest

from apps.contract.signing import HEADER_SIGNATURE, Keyring, parse_keys

OLD, NEW = b"o" * 32, b"n" * 40
KEY, VALUE = b"account-1", b'{"event_type": "FundsDeposited", "version": 2}'


class Message:
    """What the consumer's check reads of a confluent_kafka Message."""

    def __init__(self, key: bytes | None, value: bytes | None, headers: list) -> None:
        self._key, self._value, self._headers = key, value, headers

    def key(self) -> bytes | None:
        return self._key

    def value(self) -> bytes | None:
        return self._value

    def headers(self) -> list:
        return self._headers


def test_a_signed_message_checks_out():
    ring = Keyring("k2", NEW)
    signature = ring.sign(KEY, VALUE)
    assert signature.startswith(b"k2:") and len(signature) == 3 + 64
    assert ring.check(KEY, VALUE, signature) is None


@pytest.mark.parametrize(
    ("key", "value"),
    [
        (KEY, VALUE.replace(b"2}", b"3}")),  # another version
        (b"account-2", VALUE),  # another account's key
        (KEY + b"x", VALUE[1:]),  # the same bytes split elsewhere
        (None, VALUE),
        (KEY, None),
    ],
)
def test_any_change_to_the_key_or_the_value_breaks_the_signature(key, value):
    ring = Keyring("k2", NEW)
    signature = ring.sign(KEY, VALUE)
    assert ring.check(key, value, signature) == (
        "unauthenticated: the signature does not match the message"
    )


def test_a_missing_or_malformed_signature_is_refused_with_why():
    ring = Keyring("k2", NEW)
    assert ring.check(KEY, VALUE, None) == "unauthenticated: no signature header"
    for bad in (b"", b"k2", b"k2:xyz", b"k2:" + b"A" * 64, b"k2:" + b"0" * 63):
        assert ring.check(KEY, VALUE, bad) == "unauthenticated: malformed signature header"


def test_a_signature_made_with_another_secret_is_refused():
    forged = Keyring("k2", b"f" * 32).sign(KEY, VALUE)  # the right id, a guessed key
    assert Keyring("k2", NEW).check(KEY, VALUE, forged) == (
        "unauthenticated: the signature does not match the message"
    )


def test_rotation_older_keys_are_accepted_until_retired():
    before = Keyring("k1", OLD)
    during = Keyring("k2", NEW, {"k1": OLD})  # signs with k2, still reads k1
    after = Keyring("k2", NEW)  # k1 retired
    old_signature = before.sign(KEY, VALUE)
    assert during.check(KEY, VALUE, old_signature) is None
    assert during.check(KEY, VALUE, during.sign(KEY, VALUE)) is None
    assert after.check(KEY, VALUE, old_signature) == (
        "unauthenticated: signed with key id 'k1', which is not accepted"
    )
    # The writers moved to k2 while some readers still run with k1 alone: they refuse.
    assert before.check(KEY, VALUE, during.sign(KEY, VALUE)) is not None


def test_the_last_signature_header_of_a_message_counts():
    ring = Keyring("k2", NEW)
    good = (HEADER_SIGNATURE, ring.sign(KEY, VALUE))
    bad = (HEADER_SIGNATURE, b"k2:" + b"0" * 64)
    assert ring.check_message(Message(KEY, VALUE, [("event_type", b"x"), good])) is None
    assert ring.check_message(Message(KEY, VALUE, [good, bad])) is not None
    assert ring.check_message(Message(KEY, VALUE, [bad, good])) is None
    assert ring.check_message(Message(KEY, VALUE, [])) == "unauthenticated: no signature header"


def test_keys_must_be_long_and_ids_plain():
    with pytest.raises(ValueError, match="at least 32"):
        Keyring("k1", b"short")
    with pytest.raises(ValueError, match="at least 32"):
        Keyring("k2", NEW, {"k1": b"short"})
    with pytest.raises(ValueError, match="key id"):
        Keyring("k:1", NEW)


def test_older_keys_are_read_from_a_setting():
    assert parse_keys("") == {}
    assert parse_keys("k1:" + "a" * 32 + ", k0:" + "b" * 32) == {
        "k1": b"a" * 32,
        "k0": b"b" * 32,
    }
    with pytest.raises(ValueError, match="id:key"):
        parse_keys("no-colon")


# --- the metadata headers (who caused the event) are covered too -----------------------------
CAUSED = {"request_id": b"req-1", "actor": b"4b0c1d", "correlation_id": b"req-1"}
CAUSED["causation_id"] = b"c0ffee"


def headers_of(metadata: dict[str, bytes], signature: bytes) -> list:
    return [("event_type", b"FundsDeposited"), *metadata.items(), (HEADER_SIGNATURE, signature)]


def test_the_metadata_headers_are_signed_with_the_message():
    ring = Keyring("k2", NEW)
    signature = ring.sign(KEY, VALUE, CAUSED)
    assert signature != ring.sign(KEY, VALUE)  # v2: over the metadata too
    assert ring.check_message(Message(KEY, VALUE, headers_of(CAUSED, signature))) is None


@pytest.mark.parametrize(
    "forged",
    [
        {**CAUSED, "actor": b"system:run_transfers"},  # another actor
        {**CAUSED, "correlation_id": b"req-2"},
        {**CAUSED, "causation_id": b""},  # emptied
        {**CAUSED, "request_id": b"req-9"},  # request_id is covered once the message is v2
        {k: v for k, v in CAUSED.items() if k != "actor"},  # removed
        {},  # every one removed: checked as v1, which never matches a v2 signature
    ],
)
def test_a_forged_changed_or_removed_metadata_header_is_refused(forged):
    ring = Keyring("k2", NEW)
    signature = ring.sign(KEY, VALUE, CAUSED)
    assert ring.check_message(Message(KEY, VALUE, headers_of(forged, signature))) == (
        "unauthenticated: the signature does not match the message"
    )


def test_an_actor_added_to_a_message_signed_without_one_is_refused():
    ring = Keyring("k2", NEW)
    signature = ring.sign(KEY, VALUE)  # an event stored before actors were recorded
    assert ring.check_message(Message(KEY, VALUE, headers_of({}, signature))) is None
    assert ring.check_message(
        Message(KEY, VALUE, headers_of({"actor": b"system:x"}, signature))
    ) == ("unauthenticated: the signature does not match the message")


def test_a_message_without_actors_is_signed_as_before_its_request_id_a_hint():
    ring = Keyring("k2", NEW)
    # What every writer signed before actors existed: v1, whatever request_id says.
    assert ring.sign(KEY, VALUE, {"request_id": b"req-1"}) == ring.sign(KEY, VALUE)
    old = Message(KEY, VALUE, headers_of({"request_id": b"req-1"}, ring.sign(KEY, VALUE)))
    assert ring.check_message(old) is None


def test_of_two_actor_headers_the_last_counts_as_for_every_reader():
    ring = Keyring("k2", NEW)
    signature = ring.sign(KEY, VALUE, CAUSED)
    genuine = headers_of(CAUSED, signature)
    appended = [*genuine, ("actor", b"system:forged")]  # a later header replaces the first
    assert ring.check_message(Message(KEY, VALUE, appended)) is not None
    prepended = [("actor", b"system:forged"), *genuine]  # the genuine one is the last
    assert ring.check_message(Message(KEY, VALUE, prepended)) is None
