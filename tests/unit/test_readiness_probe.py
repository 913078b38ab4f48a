"""The readiness probe's reuse window, on a clock of the test's own (no server is asked)."""

import threading
import time

from operations.health import ReadinessProbe, public_view


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def counting(runs: list[str], name: str, fails: bool = False):
    def check(timeout: float) -> str:
        runs.append(name)
        if fails:
            raise OSError("(2013, 'Lost connection to server at handshake')")
        return "ok"

    return check


def test_a_result_is_reused_for_the_window_then_checked_again():
    runs: list[str] = []
    clock = Clock()
    probe = ReadinessProbe(1.0, {"db": counting(runs, "db")}, clock)
    assert probe.report()["status"] == "ready"
    clock.now += 0.999
    probe.report()
    assert runs == ["db"]
    clock.now += 0.001
    probe.report()
    assert runs == ["db", "db"]


def test_callers_during_a_round_wait_for_it_instead_of_checking_again():
    runs: list[str] = []
    started = threading.Event()

    def slow(timeout: float) -> str:
        runs.append("slow")
        started.set()
        time.sleep(0.3)
        return "ok"

    probe = ReadinessProbe(60.0, {"slow": slow})
    reports: list[dict] = []
    first = threading.Thread(target=lambda: reports.append(probe.report()))
    first.start()
    assert started.wait(5)
    others = [threading.Thread(target=lambda: reports.append(probe.report())) for _ in range(8)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(5)
    assert runs == ["slow"]
    assert len(reports) == 9 and all(r is reports[0] for r in reports)


def test_the_public_view_says_up_or_down_and_nothing_of_why():
    runs: list[str] = []
    probe = ReadinessProbe(0.0, {"mysql": counting(runs, "mysql", fails=True)})
    report = probe.report()
    assert report["checks"]["mysql"]["detail"].startswith("OSError: (2013")
    assert public_view(report) == {"status": "not_ready"}
