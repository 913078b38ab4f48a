"""The balance chart and the balance history are pure: points in, SVG out."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from apps.accounts_query.console.balance_chart import HEIGHT, LEFT, PLOT_WIDTH, TOP, balance_chart
from apps.accounts_query.domain.balance_history import balance_points
from apps.accounts_query.domain.event_message import EventMessage

ACCOUNT = uuid.uuid4()
START = datetime(2026, 1, 1, tzinfo=UTC)


def event(version: int, event_type: str, **data: str) -> EventMessage:
    return EventMessage(
        str(uuid.uuid4()), event_type, 1, ACCOUNT, version, START + timedelta(minutes=version), data
    )


def circles(svg: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(y))
        for x, y in re.findall(r'<circle class="point" cx="([\d.]+)" cy="([\d.]+)"', svg)
    ]


def test_balance_points_fold_each_event():
    points = balance_points(
        [
            event(
                1, "AccountOpened", holder="Ada", account_type="SAVINGS", opening_balance="10.00"
            ),
            event(2, "FundsDeposited", amount="5.50", balance="15.50"),
            event(3, "FundsWithdrawn", amount="15.50", balance="0.00"),
            event(4, "AccountClosed"),
        ]
    )
    assert [(p.version, p.balance) for p in points] == [
        (1, Decimal("10.00")),
        (2, Decimal("15.50")),
        (3, Decimal("0.00")),
        (4, Decimal("0.00")),
    ]
    assert all(isinstance(p.balance, Decimal) for p in points)


def test_one_marker_per_point_highest_balance_at_the_top():
    svg = balance_chart([(1, Decimal("100.00")), (2, Decimal("250.00")), (3, Decimal("40.00"))])
    marks = circles(svg)
    assert len(marks) == 3
    assert [x for x, _ in marks] == sorted(x for x, _ in marks)
    assert marks[0][0] == LEFT and marks[-1][0] == LEFT + PLOT_WIDTH
    assert marks[1][1] == TOP  # 250.00 is the highest
    assert marks[2][1] == max(y for _, y in marks) < HEIGHT
    assert svg.count("<polyline") == 1
    assert ">250.00<" in svg and ">40.00<" in svg and ">v1<" in svg and ">v3<" in svg


def test_a_single_point_or_a_flat_line_stays_inside_the_plot():
    (mark,) = circles(balance_chart([(7, Decimal("5.00"))]))
    assert LEFT < mark[0] < LEFT + PLOT_WIDTH and TOP < mark[1] < HEIGHT
    flat = circles(balance_chart([(1, Decimal("5.00")), (2, Decimal("5.00"))]))
    assert flat[0][1] == flat[1][1]


def test_no_points_no_chart():
    assert balance_chart([]) == ""
