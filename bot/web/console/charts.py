"""Small server-side SVG charts for the reports: stacked bars, horizontal bars, a line.

Every label and value goes through markupsafe's escape. Counts under
`SMALL` are shown as "<5": their bars are drawn hatched at the height of 5
(the top of what they could be), so neither the label nor the bar tells a
count that could single a person out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

SMALL = 5
PALETTE = ("#b3261e", "#c26100", "#6b6b00", "#1f6f5c", "#2a5db0", "#7b3fa0", "#8a6d3b",
           "#00838f", "#5d4037", "#546e7a", "#ad1457")  # fmt: skip
WIDTH, HEIGHT, PAD = 720, 260, 40


def shown(count: int) -> str:
    """A count as the reports show it: "<5" for 1-4, the number otherwise."""
    return f"<{SMALL}" if 0 < count < SMALL else str(count)


def drawn(count: int) -> int:
    return SMALL if 0 < count < SMALL else count


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]


def _defs() -> str:
    return (
        '<defs><pattern id="few" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="3" stroke-opacity=".7"/>'
        "</pattern></defs>"
    )


def _legend(series: Sequence[Series], y: int) -> str:
    parts, x = [], PAD
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="{y}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{y + 9}" font-size="11">{escape(item.label)}</text>'
        )
        x += 24 + 7 * len(item.label)
        if x > WIDTH - 80:
            x, y = PAD, y + 16
    return "".join(parts)


def _svg(body: str, title: str, height: int) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" direction="ltr" font-family="sans-serif">'
        f"<title>{escape(title)}</title>{_defs()}{body}</svg>"
    )


def stacked_bars(title: str, labels: Sequence[str], series: Sequence[Series]) -> Markup:
    """One bar per label (a day), stacked by series (a priority, a category)."""
    totals = [sum(drawn(s.values[i]) for s in series) for i in range(len(labels))]
    top = max([*totals, 1])
    slot = (WIDTH - 2 * PAD) / max(len(labels), 1)
    scale = (HEIGHT - 2 * PAD) / top
    parts = [f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
             'stroke="#999"/>']  # fmt: skip
    for i, label in enumerate(labels):
        x = PAD + i * slot + slot * 0.15
        y: float = HEIGHT - PAD
        for index, item in enumerate(series):
            count = item.values[i]
            if count <= 0:
                continue
            h = drawn(count) * scale
            y -= h
            box = f'x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}"'
            parts.append(
                f'<rect {box} fill="{PALETTE[index % len(PALETTE)]}">'
                f"<title>{escape(item.label)}: {escape(shown(count))}</title></rect>"
            )
            if count < SMALL:
                parts.append(f'<rect {box} fill="url(#few)"/>')
        real = sum(s.values[i] for s in series)
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" font-size="11" '
            f'text-anchor="middle">{escape(shown(real)) if real else ""}</text>'
            f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - PAD + 14}" font-size="11" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append(_legend(series, HEIGHT - 14))
    return _svg("".join(parts), title, HEIGHT + 10)


def horizontal_bars(title: str, rows: Sequence[tuple[str, int]]) -> Markup:
    """One bar per row (an outcome, a category), longest first as given."""
    height = PAD + 22 * max(len(rows), 1)
    top = max([drawn(count) for _, count in rows] + [1])
    left, span = 230, WIDTH - 230 - PAD
    parts = []
    for i, (label, count) in enumerate(rows):
        y = 10 + i * 22
        w = drawn(count) / top * span
        few = f'<rect x="{left}" y="{y}" width="{w:.1f}" height="16" fill="url(#few)"/>'
        parts.append(
            f'<text x="{left - 8}" y="{y + 13}" font-size="12" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="16" fill="{PALETTE[3]}"/>'
            f"{few if 0 < count < SMALL else ''}"
            f'<text x="{left + w + 6:.1f}" y="{y + 13}" font-size="12">'
            f"{escape(shown(count))}</text>"
        )
    return _svg("".join(parts), title, height)


def line(title: str, labels: Sequence[str], values: Sequence[int]) -> Markup:
    """The queue's length at each moment (labels: every few points are written)."""
    top = max([drawn(v) for v in values] + [1])
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    scale = (HEIGHT - 2 * PAD) / top
    points = " ".join(
        f"{PAD + i * step:.1f},{HEIGHT - PAD - drawn(v) * scale:.1f}" for i, v in enumerate(values)
    )
    every = max(1, len(labels) // 8)
    parts = [
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#999"/>',
        f'<polyline points="{points}" fill="none" stroke="{PALETTE[4]}" stroke-width="2"/>',
        f'<text x="{PAD - 6}" y="{PAD}" font-size="11" text-anchor="end">'
        f"{escape(shown(max(values, default=0)))}</text>",
    ]
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(
                f'<text x="{PAD + i * step:.1f}" y="{HEIGHT - PAD + 14}" font-size="10" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return _svg("".join(parts), title, HEIGHT)
