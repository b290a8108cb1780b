"""Server-side SVG charts: no JavaScript, no inline styles (the CSP forbids them), printable.

`bar_chart_svg(series, labels, title)` draws grouped bars, one group per label and one bar per
series, with a y axis of round ticks, a legend and an accessible title/description.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from reports._format import angka, escape

PALETTE = ("#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997")


def _nice_max(value: float) -> tuple[float, float]:
    """(axis maximum, tick step) with 4–5 round ticks."""
    if value <= 0:
        return 4.0, 1.0
    raw = value / 4
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        step = m * mag
        if step >= raw:
            break
    if step < 1:
        step = 1.0
    return step * math.ceil(value / step), step


def _fmt(v: float) -> str:
    return angka(int(v)) if float(v).is_integer() else angka(round(v, 1))


def _legend(items, width: int, right: int, size: float = 11) -> list[str]:
    """The series names, right-aligned in the title line."""
    out = []
    lx = width - right
    for i, (name, _) in reversed(list(enumerate(items))):
        lx -= round(size * 0.64 * len(name)) + 6 + 14
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<rect x="{lx}" y="7" width="10" height="10" fill="{colour}"/>')
        out.append(
            f'<text x="{lx + 14}" y="16" font-size="{size:g}" fill="#495057">{escape(name)}</text>'
        )
    return out


def _y_grid(box: _Box, axis_max: float, step: float) -> list[str]:
    out = []
    for t in range(int(round(axis_max / step)) + 1):
        value = t * step
        y = box.top + box.plot_h - box.plot_h * value / axis_max
        out.append(
            f'<line x1="{box.left}" y1="{y:.1f}" x2="{box.width - box.right}" y2="{y:.1f}" '
            f'stroke="#dee2e6" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{box.left - 6}" y="{y + 4:.1f}" font-size="{box.font:g}" text-anchor="end" '
            f'fill="#6c757d">{escape(_fmt(value))}</text>'
        )
    return out


def _bars(box: _Box, items, labels, axis_max: float, max_x_labels: int) -> list[str]:
    """One group of bars per label, and every few labels under the axis."""
    out = []
    n = len(labels)
    group_w = box.plot_w / n
    inner = group_w * 0.8
    bar_w = inner / max(len(items), 1)
    every = max(1, math.ceil(n / max_x_labels))
    for j, label in enumerate(labels):
        gx = box.left + j * group_w + (group_w - inner) / 2
        for i, (name, values) in enumerate(items):
            v = float(values[j] or 0)
            h = box.plot_h * v / axis_max
            x, y = gx + i * bar_w, box.top + box.plot_h - h
            tip = escape(f"{label} · {name}: {_fmt(v)}")
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar_w - 1, 1):.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[i % len(PALETTE)]}"><title>{tip}</title></rect>'
            )
        if j % every == 0:
            cx = box.left + j * group_w + group_w / 2
            out.append(
                f'<text x="{cx:.1f}" y="{box.height - box.bottom + 16}" font-size="{box.font:g}" '
                f'text-anchor="middle" fill="#6c757d">{escape(str(label))}</text>'
            )
    return out


@dataclass(frozen=True)
class _Box:
    width: int
    height: int
    left: int = 56
    right: int = 12
    top: int = 34
    bottom: int = 40
    font: float = 10  # axis labels; the legend is 1 larger

    @property
    def plot_w(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> int:
        return self.height - self.top - self.bottom


def bar_chart_svg(
    series: Mapping[str, Sequence[float]] | Sequence[tuple[str, Sequence[float]]],
    labels: Sequence[str],
    title: str,
    *,
    width: int = 760,
    height: int = 260,
    max_x_labels: int = 10,
    compact: bool = False,
) -> str:
    """Grouped bar chart as an inline SVG string. `series`: name → values (one per label).

    `compact`: the phone drawing (draw it about 320 wide): labels of 11 and 12, no title line
    in the picture (the page shows the title as text; it stays the SVG's accessible name)."""
    items = list(series.items()) if isinstance(series, Mapping) else list(series)
    n = len(labels)
    for name, values in items:
        if len(values) != n:
            raise ValueError(f"seri {name!r} punya {len(values)} nilai, label {n}")
    uid = "c" + hashlib.sha1(f"{title}|{n}|{len(items)}|{compact}".encode()).hexdigest()[:8]
    box = _Box(width, height, left=44, font=11) if compact else _Box(width, height)
    peak = max((v for _, vals in items for v in vals), default=0)
    axis_max, step = _nice_max(float(peak))
    desc = "; ".join(
        f"{name}: total {_fmt(sum(values))}, tertinggi {_fmt(max(values, default=0))}"
        for name, values in items
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'class="chart {"chart-narrow" if compact else "chart-wide"}">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
        *(
            []
            if compact
            else [
                f'<text x="{box.left}" y="16" font-size="13" font-weight="bold" '
                f'fill="#212529">{escape(title)}</text>'
            ]
        ),
        *_legend(items, width, box.right, box.font + 1),
        *_y_grid(box, axis_max, step),
        *(_bars(box, items, labels, axis_max, max_x_labels) if n else []),
        f'<line x1="{box.left}" y1="{box.top + box.plot_h}" x2="{width - box.right}" '
        f'y2="{box.top + box.plot_h}" stroke="#adb5bd" stroke-width="1"/>',
    ]
    if not n or peak == 0:
        note = "Belum ada data" if not n else "Semua nilai nol"
        cx, cy = str(box.left + box.plot_w / 2), str(box.top + box.plot_h / 2)
        out.append(
            f"<text x={quoteattr(cx)} y={quoteattr(cy)} "
            f'font-size="12" text-anchor="middle" fill="#6c757d">{note}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
