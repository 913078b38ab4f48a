"""How deep a JSON text nests and how many values it holds, found before json.loads runs.

The parser must know both before json.loads builds anything: the depth because json.loads
recurses, the number of values because building each one (a Decimal, an int, a dict entry) costs
Python work that a 64 KiB body of `1,1,1,...` multiplies by 32,000 (5 ms of GIL per request).

Everything here is done by the str and bytes methods (replace, count, split, translate: C loops
that look at each character once and never go back); the only Python loop walks the brackets,
and only when there are at most `item_limit` of them. A regex that strips strings
(`"(?:[^"\\]|\\.)*"`) backtracks quadratically on an unterminated string of escaped quotes: a
64 KiB body once held a worker's GIL for 12 s.
"""

from typing import NamedTuple

# Every byte but the four brackets: bytes.translate(None, _NOT_BRACKETS) keeps only brackets.
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class Scan(NamedTuple):
    too_deep: bool
    too_many: bool
    # Brackets walked one by one in Python: never more than twice item_limit, whatever the text
    # (tests hold it); the rest of the scan is C loops over the text.
    walked: int


def scan(text: str, depth_limit: int, item_limit: int) -> Scan:
    """Whether the text nests deeper than `depth_limit`, and whether it holds more than
    `item_limit` items (an item: a container, or a value after a comma), as json.loads would
    build it. For a text that is no JSON either answer may be wrong: json.loads refuses it.

    An unterminated string ends the scan: json.loads refuses the text before it recurses there.
    """
    # Inside a string, "\\" pairs first (left to right, as JSON reads them), then what is left
    # of "\"": a quote after that is a string's own. Outside strings a backslash is no JSON.
    plain = text
    if "\\" in plain:  # a search is cheaper than a copy, and most bodies have no escape
        plain = plain.replace("\\\\", "").replace('\\"', "")
    quotes = plain.count('"')
    # Each item brings at most a key and a value, two strings: 4 quotes (and the text itself
    # may be one string). More quotes than that is more items, and no split is needed.
    if quotes > 4 * item_limit + 2:
        return Scan(False, True, 0)
    outside = "".join(plain.split('"')[0::2])
    opens = outside.count("[") + outside.count("{")
    closes = outside.count("]") + outside.count("}")
    if outside.count(",") + max(opens, closes) > item_limit:
        return Scan(False, True, 0)
    if opens <= depth_limit:
        return Scan(False, False, 0)
    brackets = outside.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    return _walk(brackets, depth_limit)


def _walk(brackets: bytes, limit: int) -> Scan:
    depth = 0
    for walked, char in enumerate(brackets, 1):
        if char in b"[{":
            depth += 1
            if depth > limit:
                return Scan(True, False, walked)
        else:
            depth -= 1
    return Scan(False, False, len(brackets))


def scan_depth(text: str, limit: int) -> Scan:
    """`scan` with no bound on items that matters (for tests that ask about depth alone)."""
    return scan(text, limit, len(text) + 1)
