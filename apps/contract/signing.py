"""Authenticated events: an HMAC-SHA256 over each message's key and value, in one header.

Kafka's ACLs keep strangers off the topics (docker-compose.yml), but anyone who reaches a broker
with a producer's rights, or a broker without ACLs, could otherwise write a next-version event
that the consumers would apply. Every writer signs, every consumer checks before it decodes: a
message whose signature is missing, made with a key it does not accept, or wrong, is
dead-lettered with the reason and never applied.

Header `signature` (envelope.HEADER_SIGNATURE), value `<key id>:<64 hex digits>`: the MAC of
    b"techbank-event-v1" || len(key) as 4 big-endian bytes || key || value
with the key named by the id, for a message that carries none of the headers that say who
caused the event (actor, correlation_id, causation_id); for one that carries any, the MAC of
    b"techbank-event-v2" || len(key) || key || M(request_id) || M(actor) || M(correlation_id)
        || M(causation_id) || value
where M(h) is b"\x00" when the header is absent, else b"\x01" || len(h) as 4 big-endian
bytes || h. Length-prefixing keeps (key, metadata, value) tuples apart that would otherwise
concatenate alike, and the two domains keep a v2 input from ever equalling a v1 one. The value
is the envelope's exact bytes (the JSON every consumer decodes), so no field can change without
the MAC changing; the metadata headers likewise: a forged, changed, added or removed actor,
correlation_id or causation_id makes the signature fail, and the message is dead-lettered. Of
several headers of one name the last one counts, here as in every reader. The routing headers
(event_type, schema_version) are hints no consumer acts on, and are not covered.

Compatibility: a message without actor, correlation_id and causation_id (every message signed
before they existed, and a relayed event stored before then) is signed and checked exactly as
before, v1, its request_id a hint as it always was; no message needs re-signing, no setting
changes, and an older writer's messages keep verifying.

Keys rotate by settings (a Keyring): writers sign with the current key; readers accept the
current key and the older ones still listed. Retire a key by removing it from every reader's
list once no message signed with it is left to read.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .envelope import (
    HEADER_ACTOR,
    HEADER_CAUSATION_ID,
    HEADER_CORRELATION_ID,
    HEADER_SIGNATURE,
    METADATA_HEADERS,
)

__all__ = ["HEADER_SIGNATURE", "KEY_ID", "MIN_KEY_LENGTH", "Keyring", "keyring", "parse_keys"]

DOMAIN = b"techbank-event-v1"
DOMAIN_WITH_METADATA = b"techbank-event-v2"
# The headers the MAC covers besides key and value, in this order (envelope.METADATA_HEADERS).
COVERED = METADATA_HEADERS
# A key id is short and plain, so a signature header parses without ambiguity.
KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")
MIN_KEY_LENGTH = 32  # characters of a key: 32 hex digits are 128 bits
_MAC_HEX = re.compile(rb"[0-9a-f]{64}")
_NONE: Mapping[str, bytes | None] = {}


class SignedMessage(Protocol):
    """What a consumer's message offers (confluent_kafka's Message; the contract imports no
    Kafka library)."""

    def key(self) -> bytes | None: ...
    def value(self) -> bytes | None: ...
    def headers(self) -> Sequence[tuple[str, bytes | None]] | None: ...


Metadata = Mapping[str, bytes | None]


def _covered(header: bytes | None) -> bytes:
    return b"\x00" if header is None else b"\x01" + len(header).to_bytes(4, "big") + header


def _mac(secret: bytes, key: bytes | None, value: bytes | None, metadata: Metadata) -> bytes:
    key, value = key or b"", value or b""
    get = metadata.get
    causal = (get(HEADER_ACTOR), get(HEADER_CORRELATION_ID), get(HEADER_CAUSATION_ID))
    # Any of actor, correlation_id, causation_id makes the message v2; request_id alone does
    # not: an event of an older writer, whose request_id was never covered.
    if causal == (None, None, None):
        signed = b"".join((DOMAIN, len(key).to_bytes(4, "big"), key, value))
    else:
        covered = b"".join([_covered(get(name)) for name in COVERED])
        signed = b"".join((DOMAIN_WITH_METADATA, len(key).to_bytes(4, "big"), key, covered, value))
    # One call into OpenSSL: measurably cheaper per message than an hmac object and updates.
    return hmac.digest(secret, signed, "sha256").hex().encode()


@dataclass(frozen=True)
class Keyring:
    """The key this process signs with, and every key it accepts (the current one included)."""

    current_id: str
    current: bytes
    older: Mapping[str, bytes] = field(default_factory=dict)
    _accepted: dict[bytes, bytes] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for key_id, secret in {self.current_id: self.current, **self.older}.items():
            if not KEY_ID.fullmatch(key_id):
                raise ValueError(f"event signing key id {key_id!r}: 1-32 of A-Z a-z 0-9 _ . -")
            if len(secret) < MIN_KEY_LENGTH:
                raise ValueError(
                    f"event signing key {key_id!r}: at least {MIN_KEY_LENGTH} characters"
                )
        # By the id's bytes, as a header carries it: the hot path decodes nothing.
        accepted = {k.encode(): v for k, v in {**self.older, self.current_id: self.current}.items()}
        object.__setattr__(self, "_accepted", accepted)

    def sign(self, key: bytes | None, value: bytes | None, metadata: Metadata = _NONE) -> bytes:
        """The signature header's value for a message with this key, value and metadata
        headers (name -> value; absent or None: the message has no such header)."""
        return self.current_id.encode() + b":" + _mac(self.current, key, value, metadata)

    def check(
        self,
        key: bytes | None,
        value: bytes | None,
        signature: bytes | None,
        metadata: Metadata = _NONE,
    ) -> str | None:
        """None when the message is authentic; else why not (for the dead letter)."""
        if signature is None:
            return f"unauthenticated: no {HEADER_SIGNATURE} header"
        key_id, _, given = signature.partition(b":")
        secret = self._accepted.get(key_id)
        if secret is not None and hmac.compare_digest(_mac(secret, key, value, metadata), given):
            return None
        # Only a refused message pays for telling why.
        if not _MAC_HEX.fullmatch(given):
            return f"unauthenticated: malformed {HEADER_SIGNATURE} header"
        if secret is None:
            shown = key_id[:32].decode(errors="replace")
            return f"unauthenticated: signed with key id {shown!r}, which is not accepted"
        return "unauthenticated: the signature does not match the message"

    def check_message(self, message: SignedMessage) -> str | None:
        """`check` of a Kafka message; of several headers of one name the last one counts (as
        every reader of ours, apps/messaging/message_fields.py)."""
        last = dict(message.headers() or ())  # one pass; a later header replaces an earlier
        return self.check(message.key(), message.value(), last.get(HEADER_SIGNATURE), last)


def parse_keys(text: str) -> dict[str, bytes]:
    """`id:key,id:key` (a setting's value) as {id: key}; empty text: none."""
    found: dict[str, bytes] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key_id, colon, secret = item.partition(":")
        if not colon:
            raise ValueError("event signing keys are written id:key, separated by commas")
        found[key_id] = secret.encode()
    return found


def keyring(settings: Any) -> Keyring:
    """The keyring of Django's settings (handed in: the contract imports no Django)."""
    return Keyring(
        settings.EVENT_SIGNING_KEY_ID,
        settings.EVENT_SIGNING_KEY.encode(),
        parse_keys(settings.EVENT_SIGNING_OLDER_KEYS),
    )
