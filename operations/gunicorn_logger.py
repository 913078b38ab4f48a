"""gunicorn's logger, with access-line atoms built only for what the line shows.

gunicorn's own `atoms()` copies every request header, response header and WSGI environ entry
into the line's arguments on every request; the default format shows none of them, and our
log pipeline reads one (`{x-request-id}o`, operations/logging_config.py). Building the dict
was a tenth of a GET's CPU in the web process (bench/README.md, cpu_per_command).
"""

from __future__ import annotations

import os
import re
from typing import Any

from gunicorn.glogging import Logger

# `%({name}i)s`, `%({name}o)s`, `%({name}e)s`: a header or environ atom of the format.
_HEADER_ATOM = re.compile(r"%\((\{[^}]+\}[ioe])\)")
# The log pipeline's own: the access line carries the request id of its response.
ALWAYS = ("{x-request-id}o",)


class AccessLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict[str, Any]:
        named = [*ALWAYS, *_HEADER_ATOM.findall(self.cfg.access_log_format.lower())]
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = getattr(resp, "sent", None)
        micro = request_time.seconds * 1_000_000 + request_time.microseconds
        atoms = {
            "h": environ.get("REMOTE_ADDR", "-"),
            "l": "-",
            "u": self._get_user(environ) or "-",
            "t": self.now(),
            "r": f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} {environ['SERVER_PROTOCOL']}",
            "s": status,
            "m": environ.get("REQUEST_METHOD"),
            "U": environ.get("PATH_INFO"),
            "q": environ.get("QUERY_STRING"),
            "H": environ.get("SERVER_PROTOCOL"),
            "b": str(sent) if sent is not None else "-",
            "B": sent,
            "f": environ.get("HTTP_REFERER", "-"),
            "a": environ.get("HTTP_USER_AGENT", "-"),
            "T": request_time.seconds,
            "D": micro,
            "M": micro // 1000,
            "L": f"{request_time.seconds}.{request_time.microseconds:06d}",
            "p": f"<{os.getpid()}>",
        }
        for name in named:
            atoms[name] = _lookup(name, resp, req, environ)
        return atoms


def _lookup(atom: str, resp: Any, req: Any, environ: dict) -> str:
    key, kind = atom[1:-2], atom[-1]
    if kind == "e":
        return next((str(v) for k, v in environ.items() if k.lower() == key), "-")
    headers = resp.headers if kind == "o" else getattr(req, "headers", req)
    pairs = headers.items() if hasattr(headers, "items") else headers
    return next((v for k, v in pairs if k.lower() == key), "-")
