"""The demo's year of banking, planned in advance from a seed: who opens what, when, and every
deposit, withdrawal, transfer and closing after it. Plain Python, no I/O.

The plan keeps each account's balance as the bank will, so every withdrawal and transfer it
plans is one the rules allow, but one: a transfer of more than its source holds, which the
saga refuses (FAILED, insufficient funds) so that the console shows a failed transfer too.
One account is emptied and closed; after that nothing touches it. The same seed and the same
`end` give the same plan.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

# fmt: off
FIRST_NAMES = (
    "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Margaret", "Dennis", "Frances", "John",
    "Radia", "Ken", "Sophie", "Tim", "Hedy", "Niklaus", "Karen", "Leslie", "Joan", "Tony", "Shafi",
    "Whitfield", "Mary", "Guido",
)
LAST_NAMES = (
    "Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Ritchie", "Allen",
    "Backus", "Perlman", "Thompson", "Wilson", "Berners-Lee", "Lamarr", "Wirth", "Jones",
    "Lamport", "Clarke", "Hoare", "Goldwasser", "Diffie",
)
# fmt: on


@dataclass(frozen=True)
class Step:
    """One thing the demo does at `at`: `kind` is open, deposit, withdraw, transfer or close."""

    at: datetime
    kind: str
    account: UUID
    amount: Decimal = Decimal("0.00")
    holder: str = ""
    account_type: str = ""
    to_account: UUID | None = None


def money(rng: random.Random, low: int, high: int) -> Decimal:
    """Whole units low..high with random cents."""
    return Decimal(rng.randrange(low * 100, high * 100)).scaleb(-2)


def plan(seed: int, end: datetime, accounts: int = 36, days: int = 365) -> list[Step]:
    """Every step, oldest first, all between `end - days` and `end`."""
    rng = random.Random(seed)
    start = end - timedelta(days=days)
    ids = [UUID(int=rng.getrandbits(128), version=4) for _ in range(accounts)]
    steps: list[Step] = []
    balances: dict[UUID, Decimal] = {}
    # Every account opens in the first two months; the rest of the year is their activity.
    for account in ids:
        holder = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        kind = rng.choice(("CURRENT", "CURRENT", "SAVINGS"))
        balances[account] = money(rng, 50, 3000)
        at = start + timedelta(days=rng.uniform(0, 60))
        steps.append(Step(at, "open", account, balances[account], holder, kind))
    steps.sort(key=lambda step: step.at)
    moments = sorted(
        start + timedelta(days=rng.uniform(61, days - 1)) for _ in range(accounts * 12)
    )
    closing, closed_at = ids[-1], end - timedelta(days=rng.uniform(20, 40))
    refused_at = moments[len(moments) // 2]
    amount: Decimal | None  # a step's; None when the account has too little to part with
    for at in moments:
        if closing in balances and at >= closed_at:
            _closing(steps, closing, closed_at, balances.pop(closing))
        account, other = rng.sample(sorted(balances), 2)
        roll = rng.random()
        if at == refused_at:  # more than the source holds: the saga refuses it
            steps.append(Step(at, "transfer", account, balances[account] + 1, to_account=other))
        elif roll < 0.45:
            amount = money(rng, 20, 2500)
            balances[account] += amount
            steps.append(Step(at, "deposit", account, amount))
        elif (amount := part_of(rng, balances[account])) is None:
            continue
        elif roll < 0.86:
            balances[account] -= amount
            steps.append(Step(at, "withdraw", account, amount))
        else:
            balances[account] -= amount
            balances[other] += amount
            steps.append(Step(at, "transfer", account, amount, to_account=other))
    if closing in balances:  # no step came after its day
        _closing(steps, closing, closed_at, balances.pop(closing))
    return steps


def _closing(steps: list[Step], account: UUID, at: datetime, balance: Decimal) -> None:
    if balance:  # all of it, then the account closes
        steps.append(Step(at, "withdraw", account, balance))
    steps.append(Step(at + timedelta(minutes=5), "close", account))


def part_of(rng: random.Random, balance: Decimal) -> Decimal | None:
    """5-50 % of the balance (at least a cent); None from an account holding under 0.02."""
    if balance < Decimal("0.02"):
        return None
    share = Decimal(rng.randrange(5, 51)) / 100
    return max(Decimal("0.01"), (balance * share).quantize(Decimal("0.01")))
