"""Bar charts drawn on the server as inline SVG, so the back office needs no script.

``bars(points)`` turns ``[(label, value), …]`` into the geometry the chart template
(``analytics/chart.html``) draws; the template also prints the numbers as a table, which is
what screen readers read (the SVG is ``aria-hidden``).
"""

from dataclasses import dataclass

WIDTH = 600
HEIGHT = 160
GAP = 2


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    maximum: float
    width: int = WIDTH
    height: int = HEIGHT
    unit: str = ""


def bars(title: str, points: list[tuple[str, float | None]], *, unit: str = "") -> Chart:
    """Return the chart of ``points``; a value of None (suppressed) draws no bar."""
    maximum = max([v for _, v in points if v] or [0])
    step = WIDTH / max(len(points), 1)
    out = []
    for i, (label, value) in enumerate(points):
        height = (value or 0) / maximum * (HEIGHT - 10) if maximum else 0
        out.append(Bar(label, value, round(i * step + GAP / 2, 2), round(HEIGHT - height, 2),
                       round(max(step - GAP, 1), 2), round(height, 2)))
    return Chart(title, out, maximum, unit=unit)
