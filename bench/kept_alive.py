"""One HTTP/1.1 connection kept open across requests, for the load generator (bench/loadgen.py)."""

from __future__ import annotations

import socket

HOST = "127.0.0.1"


class KeptAlive:
    """One connection kept open across requests (HTTP/1.1 keep-alive), as a browser or an
    HTTP client library keeps it: the server's cost per request without a TCP handshake."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None
        self.buffer = b""

    def send(self, request: bytes) -> tuple[int, bytes]:
        if self.sock is None:
            self.sock = socket.create_connection((HOST, self.port), timeout=30)
            self.buffer = b""
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(rest) < length:
            rest += self._recv()
        body, self.buffer = rest[:length], rest[length:]
        if b"connection: close" in head.lower():
            self.close()
        return int(head.split(b" ", 2)[1]), body

    def _recv(self) -> bytes:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed a kept-alive connection mid-answer")
        return chunk

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None
