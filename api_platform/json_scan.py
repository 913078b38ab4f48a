"""How deep a JSON text nests, found in one forward pass (no regex, no backtracking).

The parser must know the depth before json.loads recurses into it. A regex that strips strings
(`"(?:[^"\\]|\\.)*"`) backtracks quadratically on an unterminated string of escaped quotes: a
64 KiB body held a worker's GIL for 12 s. This scanner only moves forward: str.find jumps over
each string and each stretch between strings, and no character is looked at more than twice
(once by a find, once when counting the backslashes before a quote).
"""

from typing import NamedTuple

_OPEN = "[{"


class Scan(NamedTuple):
    too_deep: bool
    # Characters looked at; at most twice the text's length, whatever the text (tests hold it).
    work: int


def scan_depth(text: str, limit: int) -> Scan:
    """Whether brackets outside strings ever nest deeper than `limit`, as json.loads counts them.

    An unterminated string ends the scan: json.loads refuses the text before it recurses there.
    """
    depth = 0
    work = 0
    position = 0
    end = len(text)
    while position < end:
        quote = text.find('"', position)
        stop = end if quote < 0 else quote
        work += stop - position
        depth, too_deep, walked = _brackets(text, position, stop, depth, limit)
        work += walked
        if too_deep:
            return Scan(True, work)
        if quote < 0:
            break
        position, looked = _string_end(text, quote + 1)
        work += looked
    return Scan(False, work)


def _brackets(text: str, start: int, stop: int, depth: int, limit: int) -> tuple[int, bool, int]:
    """The depth after text[start:stop] (no string in it), whether it passed `limit` on the way,
    and how many characters had to be walked one by one.

    Counting is done by str.count (C speed); only a stretch whose opens could pass the limit is
    walked, and each stretch is walked at most once, so the whole scan stays linear.
    """
    opens = text.count("[", start, stop) + text.count("{", start, stop)
    closes = text.count("]", start, stop) + text.count("}", start, stop)
    if depth + opens <= limit:
        return depth + opens - closes, False, 0
    for index in range(start, stop):
        char = text[index]
        if char in _OPEN:
            depth += 1
            if depth > limit:
                return depth, True, index - start + 1
        elif char == "]" or char == "}":
            depth -= 1
    return depth, False, stop - start


def _string_end(text: str, start: int) -> tuple[int, int]:
    """The position just past the string that starts at `start` (after its opening quote), or
    the text's end when it never closes; and how many characters were looked at.

    A quote closes the string unless an odd run of backslashes precedes it. Each run is counted
    once, backwards from the quote that follows it, and never past the opening quote.
    """
    looked = 0
    position = start
    while True:
        quote = text.find('"', position)
        if quote < 0:
            return len(text), looked + len(text) - position
        looked += quote - position + 1
        backslashes = 0
        while text[quote - 1 - backslashes] == "\\":
            backslashes += 1
        looked += backslashes
        if backslashes % 2 == 0:
            return quote + 1, looked
        position = quote + 1
