"""JSON parsing that keeps numbers exact and refuses what no honest client sends.

The standard library's parser is used (not orjson) because only it hands each number's text to
a hook: 10.10 arrives as Decimal("10.10"), never a float, and a field can still tell `1e2`
from `100`. Before json.loads runs, one linear scan (json_scan.py) bounds what it would build:
nesting past MAX_DEPTH, or more than MAX_ITEMS values, is a 400 `parse_error`, so no body
costs more than a small multiple of a normal one (the `hostile_cpu` bench figure).
"""

import io
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.http import parse_header_parameters
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from api_platform.json_scan import scan

# Command bodies are flat objects; anything nested deeper is not one of ours.
MAX_DEPTH = 32
# The largest command body has three fields; 256 values leave room for any honest client while
# a body of 32,000 small values (each a Python object json.loads builds) is refused unbuilt.
MAX_ITEMS = 256
# A form (the browsable API's) has a command's few fields and a CSRF token. Django's multipart
# parser costs ~30 us of GIL per part: 900 parts in a 64 KiB body held a worker for 28 ms.
MAX_FORM_FIELDS = 32
# Each %XX of a urlencoded form is decoded by Python code (~0.2 us each): 21,000 of them held a
# worker for 4 ms. A holder of 100 four-byte characters needs 400.
MAX_FORM_ESCAPES = 2048


class JsonNumber(Decimal):
    """A JSON number's exact value, remembering how it was written (`text`)."""

    text: str

    def __new__(cls, text: str) -> "JsonNumber":
        number = super().__new__(cls, text)
        number.text = text
        return number

    # Decimal's own copies go through str(), which would forget the text ("1.0e1" -> "10").
    def __copy__(self) -> "JsonNumber":
        return self

    def __deepcopy__(self, memo: Any) -> "JsonNumber":
        return self


class DecimalJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
            _check_shape(text)
            data = json.loads(
                text,
                parse_float=JsonNumber,
                parse_int=_integer,
                # NaN and Infinity are not JSON; refuse them at the door.
                parse_constant=_refuse_constant,
                object_pairs_hook=_unique_keys,
            )
            # Only a \uDxxx escape can make a surrogate (a raw one cannot be decoded), so
            # the walk over the parsed value is skipped for every body without one.
            if "\\ud" in text or "\\uD" in text:
                _check_strings(data)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None
        except (ValueError, UnicodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        except ArithmeticError:
            # Decimal's own refusal (InvalidOperation, an ArithmeticError and no ValueError) of
            # an exponent past what it can hold: "1e" and 60,000 nines was a 500.
            raise ParseError("JSON parse error - a number's exponent is out of range") from None
        return data


def _integer(text: str) -> int | JsonNumber:
    # An integer keeps its text too: "-0" is an int 0 but no amount.
    return JsonNumber(text) if text.startswith("-0") else int(text)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON value")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Which of two values a client meant is a guess; "last one wins" hides the mistake.
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"duplicate key {key!r}")
        data[key] = value
    return data


def _check_shape(text: str) -> None:
    found = scan(text, MAX_DEPTH, MAX_ITEMS)
    if found.too_deep:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
    if found.too_many:
        raise ValueError(f"more than {MAX_ITEMS} values")


def _check_strings(value: Any) -> None:
    """Lone surrogates (\\ud800) are valid JSON text but cannot be stored or echoed as UTF-8."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("a string holds a lone surrogate (\\ud800-\\udfff)") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key)
            _check_strings(item)
    elif isinstance(value, list):
        for item in value:
            _check_strings(item)


class BoundedFormParser(FormParser):
    """A urlencoded form of at most MAX_FORM_FIELDS fields and MAX_FORM_ESCAPES %-escapes; more
    is a 400 `parse_error`."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        if raw.count(b"&") + 1 > MAX_FORM_FIELDS:
            raise ParseError(f"Form parse error - more than {MAX_FORM_FIELDS} fields")
        if raw.count(b"%") > MAX_FORM_ESCAPES:
            raise ParseError(f"Form parse error - more than {MAX_FORM_ESCAPES} %-escapes")
        return super().parse(io.BytesIO(raw), media_type, parser_context)


class BoundedMultiPartParser(MultiPartParser):
    """A multipart form of at most MAX_FORM_FIELDS parts, counted (by its boundary, a C loop)
    before Django's parser walks them; more is a 400 `parse_error`."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        _, params = parse_header_parameters(media_type or "")
        boundary = params.get("boundary", "").encode("ascii", "replace")
        if boundary and raw.count(b"--" + boundary) > MAX_FORM_FIELDS + 1:
            raise ParseError(f"Multipart form parse error - more than {MAX_FORM_FIELDS} parts")
        return super().parse(io.BytesIO(raw), media_type, parser_context)
