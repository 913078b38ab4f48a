"""Progress of a long command, for the person or the log watching it.

On a terminal: a rich bar with done/total, the rate and the time left (a pulsing bar, done and
rate when the total is not known). Anywhere else (CI, a log file, a pipe): one plain line every
`every` items or every `every_seconds`, whichever comes first, and one at the end, so a log shows
how far a run got without a line per item. `replay_events`, `build_checkpoints`,
`dead_letters replay` and the benchmark's data loads report through it.

No Django here: a management command hands in its raw stream (`raw_stream(self.stderr)`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

EVERY_SECONDS = 10.0
LINES_PER_RUN = 10  # without `every`: a plain line at each tenth of a known total


def rate_text(done: int, seconds: float, unit: str) -> str:
    rate = done / seconds if seconds > 0 else 0.0
    return f"{rate:,.0f} {unit}/s"


def eta_text(done: int, total: int | None, seconds: float) -> str:
    """The time left at the rate so far, as H:MM:SS; `?` when it cannot be told."""
    if total is None or done <= 0 or seconds <= 0:
        return "?"
    left = max(total - done, 0) * seconds / done
    whole = round(left)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def plain_line(what: str, done: int, total: int | None, seconds: float, unit: str) -> str:
    """`replay: 1,200/4,000 events (30%), 600 events/s, ETA 0:00:05`, or with no total
    `replay: 1,200 events (total unknown), 600 events/s`."""
    rate = rate_text(done, seconds, unit)
    if total is None:
        return f"{what}: {done:,} {unit} (total unknown), {rate}"
    percent = 100 * done / total if total else 100.0
    eta = eta_text(done, total, seconds)
    return f"{what}: {done:,}/{total:,} {unit} ({percent:.0f}%), {rate}, ETA {eta}"


class _RateColumn(ProgressColumn):
    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed or 0:,.0f} {self.unit}/s", style="progress.data.speed")


class ProgressReport:
    """`with ProgressReport("replay", total, unit="events") as report: report.advance(n)`.

    `total` None: indeterminate. `terminal` None: whether `stream` is a terminal."""

    def __init__(
        self,
        what: str,
        total: int | None,
        *,
        unit: str = "items",
        stream: TextIO | None = None,
        terminal: bool | None = None,
        every: int | None = None,
        every_seconds: float = EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what, self.total, self.unit = what, total, unit
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self._every_given = every
        self.every, self.every_seconds, self.clock = _every(every, total), every_seconds, clock
        self.done = 0
        self.started = clock()
        self._last_line = (0, self.started)  # (done, when) of the last plain line
        self._bar: Progress | None = None
        if self.terminal:
            self._bar = _bar(self.stream, unit)
            self._task = self._bar.add_task(what, total=total)
            self._bar.start()

    def set_total(self, total: int | None) -> None:
        """A total learnt after the start (a count that came later): the bar gets one."""
        if total == self.total:
            return
        self.total = total
        self.every = _every(self._every_given, total)
        if self._bar is not None:
            self._bar.update(self._task, total=total)

    def advance(self, items: int = 1) -> None:
        self.update(self.done + items)

    def update(self, done: int) -> None:
        self.done = done
        if self._bar is not None:
            self._bar.update(self._task, completed=done)
            return
        now = self.clock()
        lines_done, when = self._last_line
        if (self.every is not None and done - lines_done >= self.every) or (
            now - when >= self.every_seconds
        ):
            self._write(now)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, total=self.total or self.done)
            self._bar.stop()
            self._bar = None
        elif self._last_line[0] != self.done or self.done == 0:
            self._write(self.clock())

    def line(self) -> str:
        return plain_line(self.what, self.done, self.total, self.clock() - self.started, self.unit)

    def _write(self, now: float) -> None:
        self._last_line = (self.done, now)
        self.stream.write(self.line() + "\n")
        self.stream.flush()

    def __enter__(self) -> ProgressReport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _every(every: int | None, total: int | None) -> int | None:
    if every is None and total:
        return max(total // LINES_PER_RUN, 1)
    return every


def _bar(stream: TextIO, unit: str) -> Progress:
    columns: list[ProgressColumn] = [
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),  # pulses while the total is unknown
        MofNCompleteColumn(),  # "7/?" while it is unknown
        _Known(TaskProgressColumn()),
        _RateColumn(unit),
        _Known(TimeRemainingColumn(), before="ETA ", unknown="(total unknown)"),
    ]
    return Progress(*columns, console=Console(file=stream, force_terminal=True), transient=False)


class _Known(ProgressColumn):
    """`column` once the task has a total; `unknown` before (a total may come later)."""

    def __init__(self, column: ProgressColumn, before: str = "", unknown: str = "") -> None:
        super().__init__()
        self.column, self.before, self.unknown = column, before, unknown

    def render(self, task: Task) -> Any:
        if task.total is None:
            return Text(self.unknown)
        rendered = self.column.render(task)
        if isinstance(rendered, str | Text):  # the text columns this wraps
            return Text.assemble(self.before, rendered)
        return rendered


def raw_stream(wrapper: Any) -> TextIO:
    """The stream under a Django OutputWrapper (which ends every write with a newline, and
    would break a bar's redraws); any other stream as it is."""
    return getattr(wrapper, "_out", wrapper)
