"""Charts for the supervisor's reports, as hand-written SVG text.

The report is one self-contained file read offline, often printed: each chart is an SVG image
embedded as a data URI, with its numbers written on it (bar values, the latest point) so it
reads without hovering. Each bar and point also carries a <title> with its label and value.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence
from datetime import date
from xml.sax.saxutils import escape, quoteattr

FONT = "'Noto Sans CJK SC','Microsoft YaHei','PingFang SC','SimHei',sans-serif"
NO_DATA = "暂无数据"

WIDTH = 720
_TITLE_HEIGHT = 36
_BAR_ROW = 24
_BAR_LABEL_WIDTH = 250
_BAR_LABEL_CHARS = 19
_LINE_HEIGHT = 300
_MAX_X_LABELS = 7
_ALL_VALUES_UP_TO = 10  # a short series shows every point's value; a long one only the latest


def bar_chart(title: str, bars: Sequence[tuple[str, float]], *, axis_label: str = "",
              value_format: Callable[[float], str] = "{:g}".format) -> str:
    """A horizontal bar chart, one (label, value) per bar, top to bottom in the order given."""
    if not bars:
        return _no_data(title)
    left, right = _BAR_LABEL_WIDTH + 10, WIDTH - 60
    top = _TITLE_HEIGHT + 8
    bottom = top + len(bars) * _BAR_ROW
    ticks = _ticks(max(value for _, value in bars))
    scale = (right - left) / ticks[-1]
    parts = [_title(title)]
    for n, (label, value) in enumerate(bars):
        y = top + n * _BAR_ROW
        width = max(value * scale, 0)
        shown = label if len(label) <= _BAR_LABEL_CHARS else label[:_BAR_LABEL_CHARS - 1] + "…"
        parts.append(
            f'<g class="bar"><title>{escape(label)}：{escape(value_format(value))}</title>'
            f'<text class="label" x="{left - 8}" y="{y + 16}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{width:.1f}" height="{_BAR_ROW - 8}" fill="#4472c4"/>'
            f'<text class="value" x="{left + width + 4:.1f}" y="{y + 16}">{escape(value_format(value))}</text></g>')
    parts.append(_x_axis(ticks, left, right, bottom, value_format))
    if axis_label:
        parts.append(f'<text class="axis-label" x="{(left + right) / 2:.0f}" y="{bottom + 36}" '
                     f'text-anchor="middle">{escape(axis_label)}</text>')
    return _svg(bottom + 48, parts)


def line_chart(title: str, points: Sequence[tuple[date, float]], *, axis_label: str = "",
               y_max: float | None = None, value_format: Callable[[float], str] = "{:g}".format) -> str:
    """A line over days: x is the date (gaps in the series stay gaps), y runs from 0 to y_max
    (default: a round number above the largest value)."""
    if not points:
        return _no_data(title)
    points = sorted(points)
    left, right, top, bottom = 64, WIDTH - 40, _TITLE_HEIGHT + 16, _LINE_HEIGHT - 44
    ticks = _ticks(y_max if y_max is not None else max(value for _, value in points))
    first, last = points[0][0].toordinal(), points[-1][0].toordinal()

    def x_of(day: date) -> float:
        if first == last:
            return (left + right) / 2
        return left + (day.toordinal() - first) * (right - left) / (last - first)

    def y_of(value: float) -> float:
        return bottom - value * (bottom - top) / ticks[-1]

    parts = [_title(title)]
    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{escape(value_format(tick))}</text>')
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#333"/>')
    for day, _ in _spread(points, _MAX_X_LABELS):
        parts.append(f'<text class="day" x="{x_of(day):.1f}" y="{bottom + 18}" text-anchor="middle">'
                     f'{day:%m-%d}</text>')
    coordinates = " ".join(f"{x_of(day):.1f},{y_of(value):.1f}" for day, value in points)
    parts.append(f'<polyline class="line" points="{coordinates}" fill="none" stroke="#4472c4" stroke-width="2"/>')
    for n, (day, value) in enumerate(points):
        x, y = x_of(day), y_of(value)
        parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#4472c4">'
                     f'<title>{day.isoformat()}：{escape(value_format(value))}</title></circle>')
        if len(points) <= _ALL_VALUES_UP_TO or n == len(points) - 1:
            parts.append(f'<text class="value" x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle">'
                         f'{escape(value_format(value))}</text>')
    if axis_label:
        parts.append(f'<text class="axis-label" x="16" y="{(top + bottom) / 2:.0f}" text-anchor="middle" '
                     f'transform="rotate(-90 16 {(top + bottom) / 2:.0f})">{escape(axis_label)}</text>')
    parts.append(f'<text class="axis-label" x="{(left + right) / 2:.0f}" y="{bottom + 38}" '
                 f'text-anchor="middle">日期（{points[0][0].isoformat()} 至 {points[-1][0].isoformat()}）</text>')
    return _svg(_LINE_HEIGHT, parts)


def svg_data_uri(svg: str) -> str:
    """The SVG as a data: URI, so an <img> shows it without any file beside the page."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _svg(height: float, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
            f'viewBox="0 0 {WIDTH} {height:.0f}" font-family={quoteattr(FONT)} font-size="12" fill="#222">'
            f'<rect width="100%" height="100%" fill="#fff"/>{"".join(parts)}</svg>')


def _title(title: str) -> str:
    return f'<text class="title" x="{WIDTH / 2:.0f}" y="24" text-anchor="middle" font-size="16" font-weight="bold">' \
           f'{escape(title)}</text>'


def _no_data(title: str) -> str:
    return _svg(120, [_title(title), f'<text class="no-data" x="{WIDTH / 2:.0f}" y="76" text-anchor="middle" '
                                     f'font-size="14" fill="#888">{NO_DATA}</text>'])


def _x_axis(ticks: list[float], left: float, right: float, bottom: float,
            value_format: Callable[[float], str]) -> str:
    scale = (right - left) / ticks[-1]
    marks = "".join(f'<line x1="{left + t * scale:.1f}" y1="{bottom}" x2="{left + t * scale:.1f}" y2="{bottom + 4}" '
                    f'stroke="#333"/><text class="tick" x="{left + t * scale:.1f}" y="{bottom + 16}" '
                    f'text-anchor="middle">{escape(value_format(t))}</text>' for t in ticks)
    return f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#333"/>{marks}'


def _ticks(largest: float) -> list[float]:
    """0 up to a round number at or above largest, in at most 5 round steps (1, 2 or 5 × 10ⁿ)."""
    if largest <= 0:
        return [0, 1]
    magnitude = 10 ** math.floor(math.log10(largest / 5)) if largest >= 5 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude * 5 >= largest)
    return [step * n for n in range(math.ceil(largest / step) + 1)]


def _spread(items: Sequence, count: int) -> list:
    """At most count items, evenly spread, the first and the last always included."""
    if len(items) <= count:
        return list(items)
    return [items[round(n * (len(items) - 1) / (count - 1))] for n in range(count)]
