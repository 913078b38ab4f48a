"""The progress reporter (operations/progress_report.py): no I/O, a fake clock, text streams."""

import io
import re

from operations.progress_report import ProgressReport, eta_text, plain_line, rate_text

ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_rate_and_eta_text():
    assert rate_text(1200, 2.0, "events") == "600 events/s"
    assert rate_text(5, 0.0, "events") == "0 events/s"
    assert eta_text(1000, 4000, 2.0) == "0:00:06"
    assert eta_text(1, 7201, 1.0) == "2:00:00"
    assert eta_text(4000, 4000, 2.0) == "0:00:00"
    assert eta_text(0, 4000, 2.0) == "?"
    assert eta_text(10, None, 2.0) == "?"


def test_plain_line_with_and_without_a_total():
    assert plain_line("replay", 1200, 4000, 2.0, "events") == (
        "replay: 1,200/4,000 events (30%), 600 events/s, ETA 0:00:05"
    )
    assert plain_line("load", 1200, None, 2.0, "events") == (
        "load: 1,200 events (total unknown), 600 events/s"
    )
    assert plain_line("empty", 0, 0, 0.0, "events") == "empty: 0/0 events (100%), 0 events/s, ETA ?"


def test_not_a_terminal_writes_a_line_per_tenth_and_one_at_the_end():
    out, clock = io.StringIO(), Clock()
    with ProgressReport("load", 1000, unit="rows", stream=out, clock=clock) as report:
        for _ in range(40):
            clock.now += 0.1
            report.advance(25)
    lines = out.getvalue().splitlines()
    assert len(lines) == 10  # 100, 200, ... 1000: the last is the end's, not written twice
    assert lines[0] == "load: 100/1,000 rows (10%), 250 rows/s, ETA 0:00:04"
    assert lines[-1].startswith("load: 1,000/1,000 rows (100%)")
    assert "\x1b" not in out.getvalue() and "\r" not in out.getvalue()


def test_not_a_terminal_writes_every_ten_seconds_when_items_are_slow():
    out, clock = io.StringIO(), Clock()
    report = ProgressReport("load", 1_000_000, unit="rows", stream=out, clock=clock)
    for _ in range(25):
        clock.now += 1
        report.advance(1)
    assert out.getvalue().splitlines() == [
        "load: 10/1,000,000 rows (0%), 1 rows/s, ETA 277:46:30",
        "load: 20/1,000,000 rows (0%), 1 rows/s, ETA 277:46:20",
    ]
    report.close()
    assert out.getvalue().splitlines()[-1].startswith("load: 25/1,000,000 rows")


def test_an_indeterminate_total_says_so_and_a_total_learnt_later_is_used():
    out, clock = io.StringIO(), Clock()
    report = ProgressReport("replay", None, unit="events", stream=out, clock=clock, every=50)
    clock.now += 1
    report.advance(50)
    assert out.getvalue() == "replay: 50 events (total unknown), 50 events/s\n"
    report.set_total(200)
    clock.now += 1
    report.update(200)
    report.close()
    assert out.getvalue().splitlines()[1:] == [
        "replay: 200/200 events (100%), 100 events/s, ETA 0:00:00"
    ]


def test_a_terminal_gets_a_bar_with_done_total_rate_and_eta():
    out = io.StringIO()
    with ProgressReport("replay", 100, unit="events", stream=out, terminal=True) as report:
        report.advance(40)
        report.advance(60)
    text = ANSI.sub("", out.getvalue())
    assert "\r" in out.getvalue()  # redrawn in place, not a line per update
    final = text.split("\r")[-1]
    assert "replay" in final and "100/100" in final and "100%" in final
    assert re.search(r"[\d,]+ events/s", final)
    assert "ETA 0:00:00" in final
    assert "━" in final  # the bar


def test_a_terminal_bar_with_no_total_says_it_is_unknown_until_it_is_told():
    out = io.StringIO()
    with ProgressReport("load", None, unit="events", stream=out, terminal=True) as report:
        first = ANSI.sub("", out.getvalue())  # drawn at the start
        assert "0/?" in first and "(total unknown)" in first and "ETA" not in first
        report.advance(7)
        report.set_total(20)
        report.update(20)
    final = ANSI.sub("", out.getvalue()).split("\r")[-1]
    assert "20/20" in final and "100%" in final and "ETA 0:00:00" in final
    assert "unknown" not in final


def test_the_terminal_is_told_from_the_stream():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    on_a_terminal = ProgressReport("x", 1, stream=Tty())
    on_a_terminal.close()
    assert on_a_terminal.terminal
    assert not ProgressReport("x", 1, stream=io.StringIO()).terminal
