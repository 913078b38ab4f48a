"""Idempotency keys: each key's first request runs, every repeat gets the first one's answer.

A key's record is claimed by inserting it: the unique `_id` lets one request in, across
processes. The events the first request records carry the key in their metadata, so if its
process dies before it writes its answer down, a later request asks the store (through its
interface: find_by_idempotency_key) whether the command was stored (`Recorded`: the endpoint
that owns the key answers from that event as it would have), or runs it again.

The keys are data only: what an answer looks like (an account's 201, a transfer's 202) is the
endpoint's business, never the store's (api_platform/idempotency.py).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from kernel.idempotency import Answered, Claimed, Conflict, Recorded

from .documents import IdempotencyKey
from .interface import ApplicationRecorder
from .records import StoredEvent

Outcome = Claimed | Answered | Recorded[StoredEvent] | Conflict


class IdempotencyKeys:
    """The keys in MongoDB (kernel.idempotency.IdempotencyKeys is what the API asks of them)."""

    def __init__(self, store: ApplicationRecorder, keep: timedelta, lease: timedelta) -> None:
        self.store = store  # asked for the events a request stored with its key
        self.keep = keep  # how long an answer is kept for repeats
        # A first request that has not answered within this is taken for dead (longer than
        # the web server lets a request run), and its key is recovered.
        self.lease = lease

    @property
    def keys(self) -> Collection:
        return IdempotencyKey._get_collection()

    def claim(self, key: str, fingerprint: str) -> Outcome:
        now = datetime.now(UTC)
        token = uuid.uuid4().hex
        record = {"fingerprint": fingerprint, "token": token, "state": "running", "at": now}
        try:
            self.keys.insert_one({"_id": key, **record})
            return Claimed(token)
        except DuplicateKeyError:
            found = self.keys.find_one({"_id": key})
        if found is None:  # forgotten in between: try once more
            return self.claim(key, fingerprint)
        if _aware(found["at"]) <= now - self.keep:
            return self._take_over(key, found, record)
        if found["fingerprint"] != fingerprint:
            return Conflict(reused=True)
        if found["state"] == "answered":
            return Answered(found["status"], _body(found), found.get("headers") or {})
        if found["state"] == "running" and _aware(found["at"]) > now - self.lease:
            return Conflict(reused=False)
        # Its request died (or failed after perhaps storing): did it store its event?
        event = self.store.find_by_idempotency_key(key)
        if event is not None:
            return Recorded(event)
        return self._take_over(key, found, record)

    def answer(self, key: str, claim: Claimed, status: int, body: Any, headers: dict) -> None:
        # As JSON text, not a document: an answer's keys are the client's (a 400 names each
        # unknown field it was sent), and "$x", "a.b" or "" is no key the store accepts (a 503
        # once). DjangoJSONEncoder: what DRF's renderer would write of a UUID or a Decimal.
        answered = {"state": "answered", "status": status, "headers": headers}
        answered["body_json"] = json.dumps(body, cls=DjangoJSONEncoder)
        self.keys.update_one({"_id": key, "token": claim.token}, {"$set": answered})

    def fail(self, key: str, claim: Claimed) -> None:
        """The request failed without an answer to keep: the next repeat finds out and runs."""
        self.keys.update_one({"_id": key, "token": claim.token}, {"$set": {"state": "failed"}})

    def forget_expired(self) -> int:
        return self.keys.delete_many({"at": {"$lt": datetime.now(UTC) - self.keep}}).deleted_count

    def _take_over(self, key: str, found: dict, record: dict) -> Claimed | Conflict:
        # Compare-and-set on the old token: of several requests recovering at once, one wins.
        taken = self.keys.update_one({"_id": key, "token": found["token"]}, {"$set": record})
        return Claimed(record["token"]) if taken.modified_count else Conflict(reused=False)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _body(found: dict[str, Any]) -> Any:
    """The answer's body: JSON text, or (written before it was text) the document itself."""
    text = found.get("body_json")
    return json.loads(text) if text is not None else found.get("body")
