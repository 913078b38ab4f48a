"""A private redis-server (Debian's package, `make setup` installs it) on a free port of
127.0.0.1, with nothing kept on disk: for the throttle's tests against a real Redis."""

from __future__ import annotations

import shutil

import redis

from .private_server import PrivateServer


class PrivateRedis(PrivateServer):
    name = "redis"

    def command(self) -> list[str]:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        return [
            binary,
            *("--port", str(self.port), "--bind", "127.0.0.1"),
            # In memory only, in its own folder; no password: it listens on 127.0.0.1 and
            # lives as long as one test.
            *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
            *("--protected-mode", "yes", "--daemonize", "no"),
        ]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ready(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.RedisError:
            return False
