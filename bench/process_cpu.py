"""CPU time of the system's processes, read from /proc: what one command or one read costs the
whole machine, process by process (bench/cpu_per_command.py).

A server is found by the port it listens on (3306, 27017, 9092 as configured), so a private
Kafka or FerretDB some test started on a free port is never counted as the shared one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the name (which may hold spaces); None once gone."""
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def cpu_seconds(pid: int) -> float:
    """user + system CPU of process `pid` (all its threads); 0.0 once it is gone."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / TICKS if fields else 0.0


def _pids() -> Iterable[int]:
    return (int(p.name) for p in PROC.iterdir() if p.name.isdigit())


def descendants(root: int) -> list[int]:
    """`root` and every process below it (gunicorn's master and its workers)."""
    parents: dict[int, list[int]] = {}
    for pid in _pids():
        if fields := _stat(pid):
            parents.setdefault(int(fields[1]), []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(inode)
    return inodes


def listener(port: int) -> int | None:
    """The process listening on `port` of this machine, if any."""
    wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    if not wanted:
        return None
    for pid in _pids():
        try:
            for fd in (PROC / str(pid) / "fd").iterdir():
                if os.readlink(fd) in wanted:
                    return pid
        except OSError:
            continue
    return None


def snapshot(groups: Mapping[str, list[int]]) -> dict[str, float]:
    """CPU seconds so far of each named group of processes."""
    return {name: sum(cpu_seconds(pid) for pid in pids) for name, pids in groups.items()}


def spent(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
    return {name: after[name] - before[name] for name in after}
