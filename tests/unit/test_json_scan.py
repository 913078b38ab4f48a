"""The depth scanner: it agrees with the nesting json.loads finds, and its work is linear.

No I/O. Its work is counted, not timed: `work` is every character it looks at, and a scanner
that looked back over a stretch it had passed (as the old regex did) would count past 2 x n.
"""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from api_platform import json_scan, parsers
from api_platform.json_scan import scan_depth

# Strings full of what a scanner could mistake for structure: quotes, backslashes, brackets.
TRICKY_TEXT = st.text(alphabet=st.sampled_from('ab"\\[]{}\n\u00e9\U0001f600'), max_size=12)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.decimals(allow_nan=False) | TRICKY_TEXT,
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


def nest(value: object, levels: int) -> object:
    for level in range(levels):
        value = [value] if level % 2 else {'k\\"[': value}
    return value


@settings(max_examples=500, deadline=None)
@given(JSON, st.integers(0, 6), st.booleans(), st.integers(0, 12))
def test_the_scanner_agrees_with_json_loads(value, extra, ascii_only, limit):
    text = json.dumps(nest(value, extra), default=str, ensure_ascii=ascii_only)
    actual = depth(json.loads(text))
    assert scan_depth(text, limit).too_deep == (actual > limit)
    # Right at its own depth: the boundary both ways.
    assert not scan_depth(text, actual).too_deep
    if actual:
        assert scan_depth(text, actual - 1).too_deep


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from('"\\[]{}a, :'), max_size=200), st.integers(0, 8))
def test_any_text_costs_at_most_twice_its_length(text, limit):
    assert scan_depth(text, limit).work <= 2 * len(text)


HOSTILE = {
    "escaped_quotes": '"' + '\\"' * 32767,
    "backslash_runs": '"' + ("\\" * 999 + '"') * 64,
    "long_escapes": '{"a": "' + "\\n" * 32000 + '"}',
    "long_key": '{"' + "k" * 65000 + '": 1}',
    "many_keys": "{" + ", ".join(f'"k{i}": 1' for i in range(6000)) + "}",
    "nesting_at_the_limit": "[" * 32 + "]" * 32,
    "open_close_pairs": "[]" * 32000,
    "long_number": '{"a": ' + "1" * 65000 + "}",
    "small_tokens": "[" + "1," * 32000 + "1]",
}


def test_hostile_texts_cost_at_most_twice_their_length():
    for name, text in HOSTILE.items():
        result = scan_depth(text, parsers.MAX_DEPTH)
        assert not result.too_deep, name
        assert 0 < result.work <= 2 * len(text), name


def test_the_escaped_quotes_body_is_one_unterminated_string():
    # If any of its quotes were read as closing, the brackets after it would count.
    for escaped in (39, 40):
        assert not scan_depth('"' + '\\"' * escaped + "[" * 40, 32).too_deep
    assert scan_depth('"\\\\"' + "[" * 40, 32).too_deep


def test_no_regex_in_the_body_checks():
    # Linear by construction: neither module can reach a backtracking engine.
    for module in (json_scan, parsers):
        assert "re" not in vars(module), module.__name__
