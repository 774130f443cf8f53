"""The reader's timeline as SVG drawn by hand, for where matplotlib is missing (the browser).

The same picture as `plot_timeline` draws with matplotlib: the streamed text growing
token by token against the whole answer appearing at once at the end, with the
moment the first words show up marked on each.
"""

from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT = 800, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 34, 48
"""Margins around the plotting area, in pixels: room for the title, ticks and axis labels."""
BLUE, ORANGE = "#1f77b4", "#ff7f0e"
"""matplotlib's tab:blue and tab:orange, so that both versions look alike."""


def ticks(upper: float, most: int = 8) -> list[float]:
    """Round values from 0 to `upper`, in steps of 1, 2, 2.5 or 5 times a power of ten."""
    power = 10 ** math.floor(math.log10(upper / most))
    step = next(power * m for m in (1, 2, 2.5, 5, 10) if upper / (power * m) <= most)
    return [i * step for i in range(math.floor(upper / step + 1e-9) + 1)]


def timeline_svg(times: list[float], shown: list[int]) -> str:
    """SVG markup of the characters on screen over time, streamed and waiting for the whole.

    `shown[i]` characters are on screen once the token arriving at `times[i]` seconds is.
    """
    first, end, total = times[0], times[-1], shown[-1]
    x_max, y_max = (end or 1) * 1.08, (total or 1) * 1.05
    width, height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    title = f"What the reader sees: {len(times)} tokens of the same reply"

    def x(seconds: float) -> float:
        return round(LEFT + seconds / x_max * width, 1)

    def y(characters: float) -> float:
        return round(TOP + height - characters / y_max * height, 1)

    points = list(zip(times, shown, strict=True))
    streamed = f"M{x(0)},{y(0)}" + "".join(f" H{x(t)} V{y(n)}" for t, n in points)
    arrivals = "".join(f" M{x(t)},{y(n) - 3} v6" for t, n in points)
    waited = f"M{x(0)},{y(0)} H{x(end)} V{y(total)} H{x(x_max)}"
    x_ticks, y_ticks = ticks(x_max), ticks(y_max)
    legend_top = TOP + height / 2 - 24
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"'
            f' viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}"'
            ' font-family="DejaVu Sans, Verdana, sans-serif" font-size="13">',
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
            _text(WIDTH / 2, TOP / 2, title, anchor="middle", size=15),
            # Axes: the frame, ticks with their values, and what each axis measures.
            f'<rect x="{LEFT}" y="{TOP}" width="{width}" height="{height}"'
            ' fill="none" stroke="black"/>',
            *(_tick(x(t), TOP + height, 0, 5) for t in x_ticks),
            *(_text(x(t), TOP + height + 15, f"{t:g}", anchor="middle") for t in x_ticks),
            *(_tick(LEFT, y(n), -5, 0) for n in y_ticks),
            *(_text(LEFT - 8, y(n), f"{n:g}", anchor="end") for n in y_ticks),
            _text(LEFT + width / 2, HEIGHT - 12, "seconds after the request", anchor="middle"),
            _text(
                0,
                0,
                "characters on screen",
                anchor="middle",
                transform=f"translate(16 {TOP + height / 2}) rotate(-90)",
            ),
            # When the first words appear, streamed and not.
            _line(x(first), TOP, x(first), TOP + height, BLUE, 'stroke-opacity="0.3"'),
            _line(x(end), TOP, x(end), TOP + height, ORANGE, 'stroke-opacity="0.3"'),
            _text(x(first) + 6, y(total * 0.92), f"first words after {first:.2f} s", BLUE),
            _text(x(end) - 6, y(total * 0.5), f"first words after {end:.2f} s", ORANGE, "end"),
            # The two series: streamed (a step per token, a mark at each arrival) and waiting.
            f'<path d="{streamed}" fill="none" stroke="{BLUE}" stroke-width="1.5"/>',
            f'<path d="{arrivals}" stroke="{BLUE}"/>',
            f'<path d="{waited}" fill="none" stroke="{ORANGE}" stroke-width="1.5"'
            ' stroke-dasharray="6 3"/>',
            # The legend, at the left middle like matplotlib's loc="center left".
            f'<rect x="{LEFT + 8}" y="{legend_top}" width="250" height="48" rx="3"'
            ' fill="white" fill-opacity="0.8" stroke="#ccc"/>',
            _line(LEFT + 16, legend_top + 14, LEFT + 44, legend_top + 14, BLUE),
            _text(LEFT + 52, legend_top + 14, "streaming"),
            _line(
                LEFT + 16,
                legend_top + 34,
                LEFT + 44,
                legend_top + 34,
                ORANGE,
                'stroke-dasharray="6 3"',
            ),
            _text(LEFT + 52, legend_top + 34, "waiting for the whole answer"),
            "</svg>",
        ]
    )


def _text(
    x: float,
    y: float,
    words: str,
    color: str = "black",
    anchor: str = "start",
    size: int = 13,
    transform: str = "",
) -> str:
    moved = f' transform="{transform}"' if transform else ""
    return (
        f'<text x="{x}" y="{y}" fill="{color}" font-size="{size}" text-anchor="{anchor}"'
        f' dominant-baseline="middle"{moved}>{escape(words)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, color: str, style: str = "") -> str:
    return (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{color}" stroke-width="1.5"'
        f" {style}/>"
    )


def _tick(x: float, y: float, dx: float, dy: float) -> str:
    return f'<line x1="{x}" y1="{y}" x2="{x + dx}" y2="{y + dy}" stroke="black"/>'
