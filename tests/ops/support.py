"""Helpers of the observability tests: a frozen server, scraping, HTTP to a port."""

import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client.parser import text_string_to_metric_families


@contextmanager
def frozen_server() -> Iterator[int]:
    """A listener that accepts TCP connections and never answers: a hung server's port."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    listener.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)  # kept open, never read, never answered

    thread = threading.Thread(target=accept, daemon=True, name="frozen-server")
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        for connection in held:
            connection.close()
        listener.close()


def sample(text: str, name: str, **labels: str) -> float:
    """The sum of the samples `name` whose labels include `labels` (parses the whole text)."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                total += s.value
    return total


def http_get(url: str, headers: dict[str, str] | None = None, timeout: float = 10) -> tuple:
    """(status, headers, body) of a GET, errors included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def http_json(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    status, _, body = http_get(url, headers)
    return status, json.loads(body)
