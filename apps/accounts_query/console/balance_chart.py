"""The balance-over-time chart, drawn on the server as SVG: no script, no chart library.

Money stays Decimal up to the last step; only its position in pixels is a float.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 600, 160
LEFT, RIGHT, TOP, BOTTOM = 96, 12, 12, 28  # room for the axis labels
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
LINE_COLOUR = "#417690"  # the admin's own blue


def balance_chart(points: Sequence[tuple[int, Decimal]]) -> SafeString:
    """An SVG polyline of (version, balance) points in version order, one marker each."""
    if not points:
        return mark_safe("")
    first, last = points[0][0], points[-1][0]
    low = min(balance for _, balance in points)
    high = max(balance for _, balance in points)

    def x(version: int) -> str:
        share = (version - first) / (last - first) if last > first else 0.5
        return f"{LEFT + PLOT_WIDTH * share:.1f}"

    def y(balance: Decimal) -> str:
        share = float((balance - low) / (high - low)) if high > low else 0.5
        return f"{TOP + PLOT_HEIGHT * (1 - share):.1f}"

    line = " ".join(f"{x(version)},{y(balance)}" for version, balance in points)
    markers = format_html_join(
        "",
        '<circle class="point" cx="{}" cy="{}" r="3" fill="{}" data-version="{}" '
        'data-balance="{}"><title>version {}: {}</title></circle>',
        ((x(v), y(b), LINE_COLOUR, v, b, v, b) for v, b in points),
    )
    bottom, right = TOP + PLOT_HEIGHT, LEFT + PLOT_WIDTH
    return format_html(
        '<svg class="balance-chart" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" role="img" aria-label="Balance by version, {first} to {last}">'
        '<rect x="0" y="0" width="{w}" height="{h}" fill="#fff"/>'
        '<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#999"/>'
        '<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#999"/>'
        '<text x="{label_x}" y="{top_text}" text-anchor="end" font-size="11">{high}</text>'
        '<text x="{label_x}" y="{bottom}" text-anchor="end" font-size="11">{low}</text>'
        '<text x="{left}" y="{axis_text}" font-size="11">v{first}</text>'
        '<text x="{right}" y="{axis_text}" text-anchor="end" font-size="11">v{last}</text>'
        '<polyline class="balance" points="{line}" fill="none" stroke="{colour}" '
        'stroke-width="2"/>{markers}</svg>',
        w=WIDTH,
        h=HEIGHT,
        first=first,
        last=last,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        label_x=LEFT - 6,
        top_text=TOP + 8,
        axis_text=bottom + 18,
        high=high,
        low=low,
        line=line,
        colour=LINE_COLOUR,
        markers=markers,
    )
