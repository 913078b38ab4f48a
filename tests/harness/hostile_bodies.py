"""A generated corpus of hostile JSON bodies, each just under the body limit (64 KiB by default).

Each shape aims at one kind of work a body check or json.loads could be made to do: long
escapes, long keys, many keys, nesting just under the depth limit, long numbers, many small
tokens; and the same in the other media types the API reads (forms, multipart) or refuses (a
long Content-Type). Used by tests/api/test_hostile_bodies_linear.py (every one is a 4xx with a
code) and the `hostile_cpu` bench figure (what one costs in CPU next to a normal deposit). No
Django here.
"""

from collections.abc import Callable

# What a normal deposit sends.
NORMAL_DEPOSIT = b'{"amount": "10.50", "expected_version": 1}'


def _fill(head: str, unit: str, tail: str, limit: int) -> bytes:
    """head + as many `unit`s as fit + tail, at most `limit` bytes."""
    count = (limit - len(head.encode()) - len(tail.encode())) // len(unit.encode())
    return (head + unit * count + tail).encode()


def _items(open_: str, item: Callable[[int], str], close: str, limit: int) -> bytes:
    """open_ + item(0), item(1), ... + close, as many items as fit in `limit` bytes."""
    parts: list[str] = []
    size = len(open_) + len(close)
    while True:
        nxt = item(len(parts))
        if size + len(nxt) + 1 > limit:
            break
        parts.append(nxt)
        size += len(nxt) + 1
    return (open_ + ",".join(parts) + close).encode()


def _nested(depth: int, limit: int) -> bytes:
    """Objects nested `depth` deep around one long string, filling the body."""
    head = '{"amount": ' + '{"a": ' * (depth - 1)
    tail = "}" * depth
    return _fill(head + '"', "[", '"' + tail, limit)


def corpus(limit: int = 64 * 1024, depth_limit: int = 32) -> dict[str, bytes]:
    """name -> body; every body is at most `limit` bytes, and within 64 bytes of it or so."""
    return {
        # The body: one unterminated string of escaped quotes.
        "escaped_quotes": _fill('"', '\\"', "", limit),
        "escaped_backslashes": _fill('{"amount": "', "\\\\", '"}', limit),
        "long_escapes": _fill('{"amount": "', "\\n", '"}', limit),
        "unicode_escapes": _fill('{"amount": "', "\\u00e9", '"}', limit),
        "surrogate_escapes": _fill('{"amount": "', "\\ud83d\\ude00", '"}', limit),
        "long_key": _fill('{"', "k", '": 1}', limit),
        "many_keys": _items("{", lambda i: f'"k{i}":1', "}", limit),
        "duplicate_keys": _items("{", lambda i: '"amount":1', "}", limit),
        "nesting_under_the_limit": _nested(depth_limit, limit),
        "nesting_over_the_limit": _fill("", "[", "", limit),
        "brackets_in_a_string": _fill('{"amount": "', "[{", '"}', limit),
        "long_integer": _fill('{"amount": ', "1", "}", limit),
        "long_decimal": _fill('{"amount": 1.', "1", "}", limit),
        "long_decimal_text": _fill('{"amount": "1.', "1", '"}', limit),
        "huge_exponent": _fill('{"amount": 1e', "9", "}", limit),
        "long_version": _fill('{"amount": "1.00", "expected_version": ', "9", "}", limit),
        "many_small_tokens": _items("[", lambda i: "1", "]", limit),
        "many_floats": _items('{"amount": [', lambda i: "1.5", "]}", limit),
        "many_strings": _items('{"amount": [', lambda i: '""', "]}", limit),
        "many_empty_objects": _items('{"amount": [', lambda i: "{}", "]}", limit),
        "many_literals": _items('{"amount": [', lambda i: "null", "]}", limit),
        "long_whitespace": _fill('{"amount": "0.00"', " ", "}", limit),
    }


def identity_corpus(limit: int = 64 * 1024) -> dict[str, bytes]:
    """name -> body aimed at the identity commands' fields: a password that would cost an
    Argon2 hash of 64 KiB, a name or display name of escapes, roles by the thousand or nested
    just under the depth limit. Each is refused before any hash or command runs."""
    person = '{"username": "mallory", "roles": ["teller"], '
    return {
        "long_password": _fill(person + '"password": "', "a", '"}', limit),
        "password_of_escapes": _fill(person + '"password": "', "\\u00e9", '"}', limit),
        "long_username": _fill(
            '{"password": "x", "roles": ["teller"], "username": "', "u", '"}', limit
        ),
        "username_of_escapes": _fill('{"roles": ["teller"], "username": "', "\\n", '"}', limit),
        "long_display_name": _fill(person + '"display_name": "', "\\ud83d\\ude00", '"}', limit),
        "many_roles": _items(
            '{"username": "m", "password": "p", "roles": [', lambda i: '"teller"', "]}", limit
        ),
        "nested_roles": _fill('{"roles": ' + "[" * 30 + '"', "t", '"' + "]" * 30 + "}", limit),
        "long_client_name": _fill('{"role": "teller", "name": "', "n", '"}', limit),
    }


JSON = "application/json"


def other_media(limit: int = 64 * 1024) -> dict[str, tuple[str, bytes]]:
    """name -> (Content-Type, body) of hostile bodies in the other media types."""
    form = "application/x-www-form-urlencoded"
    multipart = "multipart/form-data; boundary=x"
    part = '--x\r\nContent-Disposition: form-data; name="k{}"\r\n\r\n1\r\n'
    return {
        "form_many_fields": (form, _items("", lambda i: f"k{i}=1", "", limit).replace(b",", b"&")),
        "form_long_escapes": (form, _fill("amount=", "%41", "", limit)),
        "multipart_many_parts": (
            multipart,
            _items("", lambda i: part.format(i), "--x--\r\n", limit).replace(
                b"\r\n,--x", b"\r\n--x"
            ),
        ),
        "multipart_long_value": (
            multipart,
            _fill(
                '--x\r\nContent-Disposition: form-data; name="amount"\r\n\r\n',
                "1",
                "\r\n--x--\r\n",
                limit,
            ),
        ),
        "long_content_type": (JSON + "; a=b" * 1600, NORMAL_DEPOSIT),
    }
