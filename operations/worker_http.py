"""The worker's small HTTP port: `/healthz`, `/readyz` and `/metrics` for an orchestrator.

A WSGI app on wsgiref's server with a thread per request, run in a daemon thread beside the
consumer. `/healthz` answers 503 when the worker is stuck (see progress.Progress), so a
liveness probe restarts it; `/readyz` runs the same dependency checks as the web server's, and
answers anonymous callers as tersely (the details only with METRICS_TOKEN).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any, Protocol
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings

from . import exposition, health

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]


class Health(Protocol):
    """A worker's liveness (progress.Progress, or a process's several of them together)."""

    def state(self) -> dict[str, Any]:
        """Must hold `stuck`: True makes /healthz answer 503."""


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a hanging request never holds up the worker's exit


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # probes every few seconds
        pass


def _json(start_response: StartResponse, status: str, body: dict) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Cache-Control", "no-store")])
    return [data]


def make_app(progress: Health) -> Callable[[dict, StartResponse], Iterable[bytes]]:
    def app(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _json(start_response, "405 Method Not Allowed", {"code": "method_not_allowed"})
        if path == "/healthz":
            state = progress.state()
            if state["stuck"]:
                return _json(
                    start_response, "503 Service Unavailable", {"status": "stuck", **state}
                )
            return _json(start_response, "200 OK", {"status": "alive", **state})
        if path == "/readyz":
            report = health.PROBE.report()
            ready = report["status"] == "ready"
            authorization = environ.get("HTTP_AUTHORIZATION")
            if not exposition.may_see_details(authorization, settings.METRICS_TOKEN):
                report = health.public_view(report)
            return _json(start_response, "200 OK" if ready else "503 Service Unavailable", report)
        if path == "/metrics":
            problem = exposition.token_problem(
                environ.get("HTTP_AUTHORIZATION"), settings.METRICS_TOKEN
            )
            if problem:
                start_response(
                    "401 Unauthorized",
                    [
                        ("Content-Type", "application/json"),
                        ("WWW-Authenticate", 'Bearer realm="metrics"'),
                    ],
                )
                return [json.dumps({"code": problem[0], "detail": problem[1]}).encode()]
            start_response("200 OK", [("Content-Type", exposition.CONTENT_TYPE)])
            return [exposition.render()]
        return _json(
            start_response, "404 Not Found", {"code": "not_found", "detail": "No such resource."}
        )

    return app


class WorkerHttpServer:
    """Serves the app in a daemon thread; `port` is the bound one (useful with port 0)."""

    def __init__(self, progress: Health, host: str, port: int) -> None:
        self.server = make_server(
            host, port, make_app(progress), _ThreadingWSGIServer, handler_class=_QuietHandler
        )
        self.host, self.port = host, self.server.server_port
        self.thread = threading.Thread(
            target=self.server.serve_forever, daemon=True, name="worker-http"
        )

    def start(self) -> WorkerHttpServer:
        self.thread.start()
        log.info(
            "health and metrics on http://%s:%d/ (healthz, readyz, metrics)", self.host, self.port
        )
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve_worker_http(progress: Health, port: int | None = None) -> WorkerHttpServer:
    """Starts the port from WORKER_HTTP_HOST / WORKER_HTTP_PORT (0: a free port)."""
    return WorkerHttpServer(
        progress,
        settings.WORKER_HTTP_HOST,
        settings.WORKER_HTTP_PORT if port is None else port,
    ).start()
