"""The demo's plan (techbank/demo/scenario.py): deterministic, dated in the year before `end`,
and every step one the bank allows, but the one transfer meant to be refused. No I/O."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from techbank.demo.scenario import plan

END = datetime(2026, 12, 6, tzinfo=UTC)


def test_the_same_seed_gives_the_same_plan_and_another_seed_another():
    assert plan(3, END) == plan(3, END)
    assert plan(3, END) != plan(4, END)


def test_every_step_is_in_the_year_before_the_end_oldest_first():
    steps = plan(1, END)
    assert all(END - timedelta(days=365) <= s.at < END for s in steps)
    assert [s.at for s in steps] == sorted(s.at for s in steps)
    assert len({(s.at.year, s.at.month) for s in steps}) >= 12


def test_the_plan_keeps_the_rules_but_for_one_refused_transfer():
    steps = plan(1, END)
    kinds = Counter(s.kind for s in steps)
    assert kinds["open"] == 36 and kinds["close"] == 1
    assert kinds["deposit"] > 100 and kinds["withdraw"] > 100 and kinds["transfer"] > 30
    balances: dict = {}
    closed = set()
    refused = 0
    for step in steps:
        assert step.account not in closed and step.to_account not in closed
        if step.kind == "open":
            balances[step.account] = step.amount
        elif step.kind == "deposit":
            balances[step.account] += step.amount
        elif step.kind == "withdraw":
            balances[step.account] -= step.amount
        elif step.kind == "transfer" and step.amount > balances[step.account]:
            refused += 1
        elif step.kind == "transfer":
            balances[step.account] -= step.amount
            balances[step.to_account] += step.amount
        else:
            assert balances.pop(step.account) == 0
            closed.add(step.account)
        assert (step.amount > 0) == (step.kind != "close") and all(
            b >= 0 for b in balances.values()
        )
        assert step.amount == step.amount.quantize(Decimal("0.01"))
    assert refused == 1 and len(closed) == 1
