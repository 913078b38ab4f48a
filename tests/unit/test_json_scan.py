"""The body scanner and the JSON parser: their answers agree with json.loads, and the scanner's
Python-level work is bounded by the item limit, not by the text's length.

No I/O. Work is counted, not timed: `walked` is every bracket the scanner's one Python loop looks
at; the rest of the scan is str/bytes methods (C loops, each over the text once).
"""

import io
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ParseError

from api_platform import json_scan, parsers
from api_platform.json_scan import scan, scan_depth
from api_platform.parsers import MAX_DEPTH, MAX_ITEMS, DecimalJSONParser
from tests.harness.hostile_bodies import NORMAL_DEPOSIT, corpus

# Strings full of what a scanner could mistake for structure: quotes, backslashes, brackets.
TRICKY_TEXT = st.text(alphabet=st.sampled_from('ab"\\[]{},:\n\u00e9\U0001f600'), max_size=12)
SCALARS = st.none() | st.booleans() | st.integers() | st.decimals(allow_nan=False) | TRICKY_TEXT
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TRICKY_TEXT, inner, max_size=4),
    max_leaves=40,
)


def depth(value: object) -> int:
    """Nesting as json.loads builds it: each list or object is one level."""
    if isinstance(value, list):
        return 1 + max((depth(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(item) for item in value.values()), default=0)
    return 0


def items(value: object) -> int:
    """What the scanner counts, from the parsed value: each container, and each member after a
    container's first (one per comma)."""
    if isinstance(value, list):
        members: list[object] = value
    elif isinstance(value, dict):
        members = list(value.values())
    else:
        return 0
    return 1 + max(len(members) - 1, 0) + sum(items(member) for member in members)


def nest(value: object, levels: int) -> object:
    for level in range(levels):
        value = [value] if level % 2 else {'k\\"[': value}
    return value


def widen(value: object, width: int) -> object:
    """`value` among `width` others: a list of width + 1 members."""
    return [value, *(['"', 1, None, {}, "\\"][i % 5] for i in range(width))]


def dump(value: object, ascii_only: bool) -> str:
    return json.dumps(value, default=str, ensure_ascii=ascii_only)


@settings(max_examples=500, deadline=None)
@given(JSON, st.integers(0, 6), st.booleans(), st.integers(0, 12))
def test_the_depth_agrees_with_json_loads(value, extra, ascii_only, limit):
    text = dump(nest(value, extra), ascii_only)
    actual = depth(json.loads(text))
    assert scan_depth(text, limit).too_deep == (actual > limit)
    # Right at its own depth: the boundary both ways.
    assert not scan_depth(text, actual).too_deep
    if actual:
        assert scan_depth(text, actual - 1).too_deep


@settings(max_examples=500, deadline=None)
@given(JSON, st.integers(0, 40), st.booleans(), st.integers(0, 60))
def test_the_item_count_agrees_with_json_loads(value, width, ascii_only, limit):
    text = dump(widen(value, width), ascii_only)
    actual = items(json.loads(text))
    found = scan(text, len(text), limit)
    assert found.too_many == (actual > limit), (actual, limit)
    assert not scan(text, len(text), actual).too_many
    assert scan(text, len(text), actual - 1).too_many


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from('"\\[]{}a, :'), max_size=400),
    st.integers(0, 8),
    st.integers(0, 20),
)
def test_the_python_loop_walks_at_most_twice_the_item_limit(text, depth_limit, item_limit):
    # Any text at all, JSON or not.
    assert scan(text, depth_limit, item_limit).walked <= 2 * item_limit


@pytest.mark.parametrize("name", list(corpus()))
def test_hostile_bodies_walk_a_bounded_number_of_brackets(name):
    text = corpus()[name].decode()
    assert scan(text, MAX_DEPTH, MAX_ITEMS).walked <= 2 * MAX_ITEMS


def test_the_escaped_quotes_body_is_one_unterminated_string():
    # If any of its quotes were read as closing, the brackets after it would count.
    for escaped in (39, 40):
        assert not scan_depth('"' + '\\"' * escaped + "[" * 40, 32).too_deep
    assert scan_depth('"\\\\"' + "[" * 40, 32).too_deep


def test_no_regex_in_the_body_checks():
    # Linear by construction: neither module can reach a backtracking engine.
    for module in (json_scan, parsers):
        assert "re" not in vars(module), module.__name__


# --- the parser: what json.loads gives, or a ParseError; nothing else ----------------------


def parse(text: str | bytes) -> object:
    raw = text.encode() if isinstance(text, str) else text
    return DecimalJSONParser().parse(io.BytesIO(raw), parser_context={"encoding": "utf-8"})


def plain(value: object) -> object:
    """A parsed value with its numbers as plain Decimals, to compare with json.loads'."""
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, Decimal) and not isinstance(value, bool):
        return Decimal(value)
    return value


def reference(text: str) -> object:
    return plain(json.loads(text, parse_float=Decimal, parse_int=Decimal))


# Surrogates make their own (tested) refusal; the shapes here are about size and structure.
PLAIN_TEXT = st.text(alphabet=st.sampled_from('ab"\\[]{},:\n\u00e9'), max_size=12)
PLAIN_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.decimals(allow_nan=False) | PLAIN_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(PLAIN_TEXT, inner, max_size=4),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(PLAIN_JSON, st.integers(0, MAX_DEPTH + 4), st.integers(0, MAX_ITEMS + 20))
def test_the_parser_gives_json_loads_answer_or_refuses_past_a_limit(value, levels, width):
    text = json.dumps(nest(widen(value, width), levels), default=str)
    expected = json.loads(text)
    over = depth(expected) > MAX_DEPTH or items(expected) > MAX_ITEMS
    if over:
        with pytest.raises(ParseError) as refused:
            parse(text)
        assert refused.value.get_codes() == "parse_error"
        assert "nested deeper" in str(refused.value.detail) or "more than" in str(
            refused.value.detail
        )
    else:
        assert plain(parse(text)) == reference(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 9), st.integers(0, 10**6))
def test_an_exponent_is_parsed_or_refused_never_raised_through(mantissa, exponent_digits):
    # Decimal refuses an exponent past its range with InvalidOperation (no ValueError).
    text = f'{{"amount": {mantissa}e{"9" * (exponent_digits % 40_000)}}}'
    try:
        parse(text)
    except ParseError as refused:
        assert refused.get_codes() == "parse_error"


def test_the_normal_deposit_parses_and_every_hostile_body_is_a_parse_error_or_parses():
    assert parse(NORMAL_DEPOSIT) == {"amount": "10.50", "expected_version": 1}
    for name, body in corpus().items():
        try:
            value = parse(body)
        except ParseError as refused:
            assert refused.get_codes() == "parse_error", name
        else:
            assert depth(value) <= MAX_DEPTH and items(value) <= MAX_ITEMS, name
