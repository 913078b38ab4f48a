"""What an API request body may be before any parser sees it: its size and its charset.

- Over API_MAX_BODY_BYTES is a 413 `request_too_large`, decided by Content-Length when there is
  one (the body is then never read) and by reading at most limit + 1 bytes of a chunked body.
- A Content-Length that is not a plain number is a 400 `bad_request`.
- A charset other than a Unicode one (UTF-8/16/32, or ASCII) is a 415 `unsupported_media_type`:
  Python would happily "decode" a body with bz2_codec or rot13, or fail with a LookupError.
  So is a wildcard media type ("*/*"), which DRF would read as JSON, and a Content-Type longer
  than MAX_CONTENT_TYPE characters (parsing 8 KiB of `; a=b` parameters cost 6 ms of GIL).
"""

import codecs
import io
from collections.abc import Callable

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.http import parse_header_parameters

API_PREFIX = "/api/"
# "multipart/form-data; boundary=..." with a 70-character boundary (RFC 2046's longest) fits.
MAX_CONTENT_TYPE = 200
TEXT_CHARSETS = frozenset(
    {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "ascii"}
)


def error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail}, status=status)


def too_large(limit: int) -> JsonResponse:
    return error(413, "request_too_large", f"The request body is larger than {limit} bytes.")


def content_type_problem(content_type: str) -> str | None:
    """Why the Content-Type is refused, or None when it is absent or one a parser may read."""
    if len(content_type) > MAX_CONTENT_TYPE:
        return f"The Content-Type is longer than {MAX_CONTENT_TYPE} characters."
    media_type, params = parse_header_parameters(content_type)
    # DRF would match "*/*" or "application/*" to its JSON parser: a pattern is no type.
    if "*" in media_type:
        return f"{media_type!r} is a pattern, not a media type."
    if "charset" not in params:
        return None
    name = params["charset"].strip()
    try:
        canonical = codecs.lookup(name).name
    except (LookupError, ValueError):
        return f"Unknown charset {name!r}."
    if canonical not in TEXT_CHARSETS:
        return f"Charset {name!r} is not accepted; send UTF-8."
    return None


class ApiBodyGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            refusal = self.refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        limit: int = settings.API_MAX_BODY_BYTES
        problem = content_type_problem(request.META.get("CONTENT_TYPE", ""))
        if problem is not None:
            return error(415, "unsupported_media_type", problem)
        declared = request.META.get("CONTENT_LENGTH", "").strip()
        if declared:
            if not (declared.isascii() and declared.isdigit()):
                return error(400, "bad_request", "The Content-Length header is not a number.")
            if int(declared) > limit:
                return too_large(limit)
            return self.take_body(request, int(declared), exact=True)
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self.take_body(request, limit + 1, exact=False)
        return None

    def take_body(self, request: HttpRequest, size: int, *, exact: bool) -> HttpResponse | None:
        """Reads the body here, bounded, and hands it on as if it had come with its length.

        Django reads a body by its Content-Length alone: without one (chunked) it sees nothing,
        and a client that sends less than it declared gets its short body parsed as if whole.
        """
        source = request.META.get("wsgi.input")
        if source is None or size == 0:
            return None
        try:
            body = read_up_to(source, size)
        except Exception:  # noqa: BLE001 - each server's body reader has its own errors
            return error(400, "bad_request", "The request body could not be read.")
        if len(body) > settings.API_MAX_BODY_BYTES:
            return too_large(settings.API_MAX_BODY_BYTES)
        if exact and len(body) != size:
            return error(400, "bad_request", "The request body is shorter than its Content-Length.")
        request.META["CONTENT_LENGTH"] = str(len(body))
        # django-stubs types _stream as BinaryIO; Django only read()s and readline()s it.
        request._stream = LimitedStream(io.BytesIO(body), len(body))  # type: ignore[assignment]
        return None


def read_up_to(source: io.RawIOBase, size: int) -> bytes:
    parts: list[bytes] = []
    remaining = size
    while remaining > 0:
        part = source.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)
