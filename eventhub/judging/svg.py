"""Charts drawn on the server as inline SVG, so they show without JavaScript and pass the
content security policy: geometry and colour are presentation attributes (fill, width,
height), never style attributes. Each chart is one image to assistive technology, named by
its <title> and described in words by its <desc>, which carries every number the bars show.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PLOT_HEIGHT = 100  # the tallest bar
BAR_WIDTH, GAP, MARGIN = 24, 8, 8
TOP, BOTTOM = 18, 22  # room for the counts above the bars and the labels below
BAR_FILL, AXIS_STROKE, TEXT_FILL = "#005ea2", "#565c65", "#1b1b1b"


def _num(value: float) -> str:
    return f"{round(value, 2):g}"


def bar_heights(counts: Sequence[int]) -> list[float]:
    """Heights on one scale: the largest count fills the plot, an empty bin draws nothing."""
    tallest = max(counts, default=0)
    return [round(c / tallest * PLOT_HEIGHT, 2) if tallest else 0.0 for c in counts]


def histogram(bars: Sequence[tuple[str, int]], *, chart_id: str, title: str, desc: str) -> Markup:
    """A bar per (label, count), in the order given, with the count above each bar."""
    width = 2 * MARGIN + len(bars) * (BAR_WIDTH + GAP) - (GAP if bars else 0)
    height = TOP + PLOT_HEIGHT + BOTTOM
    baseline = TOP + PLOT_HEIGHT
    ident = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="eh-chart" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        f'<line x1="{MARGIN}" y1="{baseline}" x2="{width - MARGIN}" y2="{baseline}" '
        f'stroke="{AXIS_STROKE}" stroke-width="1"/>',
        f'<g fill="{BAR_FILL}">',
    ]
    heights = bar_heights([count for _, count in bars])
    xs = [MARGIN + i * (BAR_WIDTH + GAP) for i in range(len(bars))]
    for x, h in zip(xs, heights, strict=True):
        parts.append(
            f'<rect class="eh-chart__bar" x="{x}" y="{_num(baseline - h)}" '
            f'width="{BAR_WIDTH}" height="{_num(h)}"/>'
        )
    parts.append(f'</g><g fill="{TEXT_FILL}" font-size="12" text-anchor="middle">')
    for x, h, (label, count) in zip(xs, heights, bars, strict=True):
        middle = x + BAR_WIDTH / 2
        parts.append(f'<text x="{_num(middle)}" y="{_num(baseline - h - 4)}">{count}</text>')
        parts.append(f'<text x="{_num(middle)}" y="{baseline + 16}">{escape(label)}</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))
