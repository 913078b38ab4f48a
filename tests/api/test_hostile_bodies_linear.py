"""Issue 18, item 1: bodies whose checks once cost seconds get their 400 like any other.

Each shape is as large as a body may be (just under API_MAX_BODY_BYTES, 64 KiB) and is sent to a
deposit; the answer and its code are what they were before the depth check stopped backtracking
(the issue's own body took 12 s then). Cost is not timed here: tests/unit/test_json_scan.py
holds the checker's work to twice the text's length, whatever the text.
"""

import pytest

from apps.eventstore.documents import EventDocument
from tests.support import open_account

LIMIT = 64 * 1024


def padded_object(field: str, filler: str, tail: str) -> bytes:
    head = f'{{"{field}": '
    count = (LIMIT - len(head) - len(tail)) // len(filler)
    return (head + filler * count + tail).encode()


def many_keys() -> bytes:
    keys: list[str] = []
    size = 2
    while size < LIMIT - 20:
        keys.append(f'"k{len(keys)}": 1')
        size += len(keys[-1]) + 2
    return ("{" + ", ".join(keys) + "}").encode()


SHAPES = {
    # The body: an unterminated string of escaped quotes.
    "escaped_quotes": (b'"' + b'\\"' * 32767, "parse_error"),
    "unterminated_escapes": (b'{"amount": "' + b"\\\\" * 32000, "parse_error"),
    "long_escapes": (
        padded_object("amount", "\\n", '"}').replace(b": ", b': "', 1),
        "invalid_input",
    ),
    "long_key": (b'{"' + b"k" * (LIMIT - 8) + b'": 1}', "invalid_input"),
    "many_keys": (many_keys(), "invalid_input"),
    "nesting_at_the_limit": (b'{"amount": ' + b"[" * 31 + b"]" * 31 + b"}", "invalid_input"),
    "nesting_over_the_limit": (b'{"amount": ' + b"[" * 32 + b"]" * 32 + b"}", "parse_error"),
    "long_integer": (padded_object("amount", "1", "}"), "parse_error"),
    "long_decimal": (padded_object("amount", "1", "}").replace(b"11", b"1.", 1), "invalid_input"),
    "many_small_tokens": (b"[" + b"1," * 32000 + b"1]", "invalid_input"),
    "brackets_in_one_long_string": (
        padded_object("amount", "[{", '"}').replace(b": ", b': "', 1),
        "invalid_input",
    ),
}


@pytest.mark.parametrize("name", SHAPES)
def test_a_hostile_body_is_a_json_400_with_its_code(teller, name):
    raw, code = SHAPES[name]
    assert len(raw) <= LIMIT
    account_id = open_account(teller)
    response = teller.generic(
        "POST", f"/api/v1/accounts/{account_id}/deposit/", raw, content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == code, response.content[:300]
    versions = [
        d["version"] for d in EventDocument._get_collection().find({"aggregate_id": account_id})
    ]
    assert versions == [1]
