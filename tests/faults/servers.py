"""Private servers a fault test may freeze (SIGSTOP), thaw (SIGCONT), kill or stop.

The shared servers (3306, 27017, 9092) serve other test runs at the same time, so a test that
harms a server starts its own copy here, on free ports of 127.0.0.1, in a temporary directory.
Always used as a context manager: the server is stopped (and thawed first) even when the test
fails.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
from pathlib import Path
from types import TracebackType

from scripts.kafka_cluster import free_port
from tests.support import wait_until

ROOT = Path(__file__).resolve().parents[2]


class PrivateServer:
    name = "server"

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = workdir / f"{self.name}.log"

    def command(self) -> list[str]:
        raise NotImplementedError

    def ready(self) -> bool:
        raise NotImplementedError

    def start(self, timeout: float = 60.0) -> None:
        self.process = subprocess.Popen(
            self.command(),
            cwd=self.workdir,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(self._up, timeout=timeout, interval=0.2, what=f"{self.name} to answer")

    def _up(self) -> bool:
        assert self.process is not None and self.process.poll() is None, f"see {self.log}"
        return self.ready()

    def _signal(self, sig: signal.Signals) -> None:
        assert self.process is not None and self.process.poll() is None, f"{self.name} is down"
        self.process.send_signal(sig)

    def freeze(self) -> None:
        """SIGSTOP: its sockets stay open and its clients hang, as with a stalled machine."""
        self._signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self._signal(signal.SIGCONT)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)
        assert self.process is not None
        self.process.wait(30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGCONT)  # a frozen process cannot act on SIGTERM
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def __enter__(self) -> PrivateServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


class PrivateMariaDB(PrivateServer):
    """A MariaDB with one database and a password user, as scripts/services.sh provisions."""

    name = "mariadb"
    database = "techbank_faults"

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.data = workdir / "data"
        self.socket = workdir / "mysqld.sock"
        self.password = secrets.token_hex(12)

    @property
    def url(self) -> str:
        return f"mysql://techbank:{self.password}@127.0.0.1:{self.port}/{self.database}"

    def start(self, timeout: float = 60.0) -> None:
        if not self.data.exists():
            subprocess.run(
                [
                    "mariadb-install-db",
                    "--no-defaults",
                    "--user=root",
                    f"--datadir={self.data}",
                    "--auth-root-authentication-method=socket",
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        super().start(timeout)
        self.sql(
            f"CREATE DATABASE IF NOT EXISTS {self.database} CHARACTER SET utf8mb4 "
            "COLLATE utf8mb4_unicode_ci;"
            f"CREATE USER IF NOT EXISTS 'techbank'@'127.0.0.1' IDENTIFIED BY '{self.password}';"
            f"GRANT ALL PRIVILEGES ON *.* TO 'techbank'@'127.0.0.1'; FLUSH PRIVILEGES;"
        )

    def command(self) -> list[str]:
        return [
            shutil.which("mariadbd") or "/usr/sbin/mariadbd",
            "--no-defaults",
            "--user=root",
            f"--datadir={self.data}",
            f"--socket={self.socket}",
            f"--port={self.port}",
            "--bind-address=127.0.0.1",
            f"--pid-file={self.workdir / 'mariadbd.pid'}",
            "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=16M",
        ]

    def sql(self, statements: str) -> None:
        subprocess.run(
            ["mariadb", "--no-defaults", f"--socket={self.socket}", "-uroot", "-e", statements],
            check=True,
            capture_output=True,
            timeout=30,
        )

    def ready(self) -> bool:
        probe = subprocess.run(
            ["mariadb-admin", "--no-defaults", f"--socket={self.socket}", "-uroot", "ping"],
            capture_output=True,
            timeout=10,
        )
        return probe.returncode == 0


class PrivateFerretDB(PrivateServer):
    """FerretDB on SQLite, the binary scripts/services.sh builds."""

    name = "ferretdb"

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/techbank_faults"

    def command(self) -> list[str]:
        binaries = sorted((ROOT / ".services/bin").glob("ferretdb-*"), key=os.path.getmtime)
        assert binaries, "FerretDB is not built: run `make services` once"
        (self.workdir / "data").mkdir(exist_ok=True)
        return [
            str(binaries[-1]),
            "--handler=sqlite",
            f"--sqlite-url=file:{self.workdir / 'data'}/",
            f"--state-dir={self.workdir}",
            f"--listen-addr=127.0.0.1:{self.port}",
            f"--debug-addr=127.0.0.1:{free_port()}",
            "--telemetry=disable",
            "--log-level=WARN",
        ]

    def ready(self) -> bool:
        import pymongo

        client = pymongo.MongoClient(self.url, serverSelectionTimeoutMS=1000)
        try:
            client.admin.command("ping")
            return True
        except pymongo.errors.PyMongoError:
            return False
        finally:
            client.close()
