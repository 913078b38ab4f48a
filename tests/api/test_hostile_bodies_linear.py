"""Issue 18, item 1: bodies whose checks once cost seconds get their 400 like any other.

Each shape is as large as a body may be (just under API_MAX_BODY_BYTES, 64 KiB) and is sent to a
deposit (the issue's own body took 12 s once), and, with shapes aimed at their fields (a 64 KiB
password would be a 64 KiB Argon2 input), to every identity command. A body of more than
MAX_ITEMS values (many keys, many small tokens) is refused before it is built: `parse_error`.
Cost is not timed here: tests/unit/test_json_scan.py bounds the scanner's Python work by the
item limit, and the bench figure `hostile_cpu` measures the CPU of the generated corpus
(tests/harness/hostile_bodies.py).
"""

import pytest

from apps.eventstore.documents import EventDocument
from tests.harness.hostile_bodies import corpus, identity_corpus, other_media
from tests.harness.tokens import client_for
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
    "many_keys": (many_keys(), "parse_error"),
    "nesting_at_the_limit": (b'{"amount": ' + b"[" * 31 + b"]" * 31 + b"}", "invalid_input"),
    "nesting_over_the_limit": (b'{"amount": ' + b"[" * 32 + b"]" * 32 + b"}", "parse_error"),
    "long_integer": (padded_object("amount", "1", "}"), "parse_error"),
    "long_decimal": (padded_object("amount", "1", "}").replace(b"11", b"1.", 1), "invalid_input"),
    "many_small_tokens": (b"[" + b"1," * 32000 + b"1]", "parse_error"),
    "keys_at_the_item_limit": (
        ("{" + ",".join(f'"k{i}": 1' for i in range(256)) + "}").encode(),
        "invalid_input",
    ),
    "huge_exponent": (b'{"amount": 1e' + b"9" * 60000 + b"}", "parse_error"),
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


# What the generated corpus answers: refused unbuilt (parse_error) or built and refused by the
# deposit's serializer (invalid_input); never anything else.
CORPUS = corpus()


@pytest.mark.parametrize("name", CORPUS)
def test_every_body_of_the_bench_corpus_is_a_json_400(teller, name):
    raw = CORPUS[name]
    assert LIMIT - 64 < len(raw) <= LIMIT
    account_id = open_account(teller)
    response = teller.generic(
        "POST", f"/api/v1/accounts/{account_id}/deposit/", raw, content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] in {"parse_error", "invalid_input"}, response.content[:300]


OTHER_MEDIA = other_media()
# Forms of more than MAX_FORM_FIELDS fields or MAX_FORM_ESCAPES escapes are refused unparsed; a
# Content-Type longer than MAX_CONTENT_TYPE is refused unread; the long values are parsed and
# refused by the serializer.
OTHER_ANSWERS = {
    "form_many_fields": (400, "parse_error"),
    "form_long_escapes": (400, "parse_error"),
    "multipart_many_parts": (400, "parse_error"),
    "multipart_long_value": (400, "invalid_input"),
    "long_content_type": (415, "unsupported_media_type"),
}


@pytest.mark.parametrize("name", OTHER_MEDIA)
def test_every_other_media_body_of_the_corpus_is_a_json_4xx(teller, name):
    content_type, raw = OTHER_MEDIA[name]
    assert len(raw) <= LIMIT
    account_id = open_account(teller)
    response = teller.generic(
        "POST", f"/api/v1/accounts/{account_id}/deposit/", raw, content_type=content_type
    )
    assert (response.status_code, response.json()["code"]) == OTHER_ANSWERS[name], response.content[
        :300
    ]


# The identity commands: the generic corpus and the shapes aimed at their own fields, each to
# every command route that reads a body, as an administrator (whose role reaches them).
IDENTITY_BODIES = {**CORPUS, **identity_corpus()}
IDENTITY_COMMANDS = [
    ("POST", "/api/v1/users/"),
    ("PATCH", "/api/v1/users/{user}/"),
    ("DELETE", "/api/v1/users/{user}/"),
    ("POST", "/api/v1/users/{user}/password/"),
    ("POST", "/api/v1/users/{user}/suspend/"),
    ("POST", "/api/v1/users/{user}/reinstate/"),
    ("POST", "/api/v1/api-clients/"),
    ("POST", "/api/v1/api-clients/{user}/rotate-secret/"),
    ("POST", "/api/v1/api-clients/{user}/revoke/"),
]


@pytest.mark.parametrize(("method", "route"), IDENTITY_COMMANDS)
def test_every_hostile_body_is_a_json_400_on_the_identity_commands(
    db, event_store_db, settings, method, route
):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "passwords": None}
    administrator = client_for("administrator")
    registered = administrator.post(
        "/api/v1/users/",
        {"username": "target", "password": "correct horse battery staple", "roles": ["teller"]},
        format="json",
    )
    assert registered.status_code == 201, registered.content
    path = route.format(user=registered.json()["id"])
    stored = EventDocument._get_collection().count_documents({})
    for name, raw in IDENTITY_BODIES.items():
        assert len(raw) <= LIMIT, name
        response = administrator.generic(method, path, raw, content_type="application/json")
        assert response.status_code == 400, (name, response.content[:300])
        assert response.json()["code"] in {"parse_error", "invalid_input"}, (name, response.json())
    assert EventDocument._get_collection().count_documents({}) == stored
