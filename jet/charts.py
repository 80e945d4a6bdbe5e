"""Charts drawn on the server as inline SVG: no JavaScript, readable without CSS.

Pure Python: give it translated texts and numbers, it returns SVG markup with
every text escaped. The SVG has a viewBox and no width, so it scales with its
container (`.chart svg` in site.css).
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

ACCENT = "#1d4f91"  # the site's accent, 8.1:1 on white
SECOND = "#b35c00"  # burnt orange, 4.7:1 on white, apart from the accent in hue
TEXT = "#1a1a1a"
AXIS = "#4a4f57"
GRID = "#c9d1dc"

WIDTH = 560
MIN_BAND = 110  # a category's width, so that its label does not run into the next
LEFT = 84  # room for the value axis label and the tick labels
RIGHT = 16
PANEL_TITLE = 58  # the heading, then room for the value above the tallest bar
PLOT_HEIGHT = 160
CATEGORY_LABELS = 52
PANEL_GAP = 18
AXIS_LABEL = 30
FONT = 16
VALUE_FONT = 18


@dataclass(frozen=True)
class Series:
    """One quantity over the categories, drawn as one panel of bars."""

    name: str
    values: Sequence[int | float | None]
    colour: str = ACCENT


def _thousands(value: int | float) -> str:
    return f"{value:,}"


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is >= value."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _ticks(maximum: float, count: int = 4) -> list[float]:
    step = _nice_ceiling(maximum / count) if maximum > 0 else 1
    top = step * math.ceil(maximum / step) if maximum > 0 else step
    return [step * i for i in range(round(top / step) + 1)]


def _text(x, y, content, *, size=FONT, anchor="middle", weight=None, extra=""):
    weight_attr = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" fill="{TEXT}" '
        f'text-anchor="{anchor}"{weight_attr}{extra}>{escape(content)}</text>'
    )


def _multiline(x, y, content, *, size=FONT):
    """A text whose lines (split on newlines) are stacked as tspans."""
    lines = str(content).split("\n")
    spans = "".join(
        f'<tspan x="{x:g}" dy="{0 if i == 0 else size * 1.3:g}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" fill="{TEXT}" '
        f'text-anchor="middle">{spans}</text>'
    )


def bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    value_axis_label: str,
    category_axis_label: str,
    id_prefix: str = "chart",
    format_value: Callable[[int | float], str] = _thousands,
    missing_value: str = "—",
) -> str:
    """Bars of each series over the categories, one panel per series.

    Each panel has its own scale (a cumulative total in the thousands would
    flatten a yearly count in the tens) and its name as a heading; every bar
    carries its value, so colour is never the only cue. Category labels may
    hold newlines. Returns SVG markup; every text passed in is escaped.
    """
    plot_left = LEFT
    plot_width = max(WIDTH - LEFT - RIGHT, MIN_BAND * len(categories))
    width = LEFT + plot_width + RIGHT
    panel_height = PANEL_TITLE + PLOT_HEIGHT + CATEGORY_LABELS
    height = len(series) * (panel_height + PANEL_GAP) + AXIS_LABEL
    band = plot_width / max(len(categories), 1)
    bar_width = min(band * 0.55, 96)
    title_id = escape(f"{id_prefix}-title")
    desc_id = escape(f"{id_prefix}-desc")

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'role="img" aria-labelledby="{title_id}" aria-describedby="{desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    for index, one in enumerate(series):
        top = index * (panel_height + PANEL_GAP)
        plot_top = top + PANEL_TITLE
        baseline = plot_top + PLOT_HEIGHT
        present = [v for v in one.values if v is not None]
        ticks = _ticks(max(present, default=0))
        scale = PLOT_HEIGHT / ticks[-1]
        colour = escape(one.colour)

        parts.append('<g class="chart__panel">')
        # The panel's heading doubles as its legend: a swatch and the name.
        parts.append(
            f'<rect x="{plot_left:g}" y="{top + 8:g}" width="14" height="14" '
            f'fill="{colour}"/>'
        )
        parts.append(
            _text(
                plot_left + 22,
                top + 20,
                one.name,
                size=VALUE_FONT,
                anchor="start",
                weight="bold",
            )
        )
        for tick in ticks:
            y = baseline - tick * scale
            parts.append(
                f'<line x1="{plot_left:g}" y1="{y:g}" x2="{width - RIGHT:g}" '
                f'y2="{y:g}" stroke="{GRID if tick else AXIS}" stroke-width="1"/>'
            )
            parts.append(
                _text(plot_left - 8, y + FONT / 3, format_value(tick), anchor="end")
            )
        for position, (category, value) in enumerate(
            zip(categories, one.values, strict=True)
        ):
            centre = plot_left + band * position + band / 2
            if value is None:
                parts.append(_text(centre, baseline - 8, missing_value))
            else:
                bar_height = value * scale
                parts.append(
                    f'<rect x="{centre - bar_width / 2:g}" '
                    f'y="{baseline - bar_height:g}" width="{bar_width:g}" '
                    f'height="{bar_height:g}" fill="{colour}"/>'
                )
                parts.append(
                    _text(
                        centre,
                        baseline - bar_height - 6,
                        format_value(value),
                        size=VALUE_FONT,
                        weight="bold",
                    )
                )
            parts.append(_multiline(centre, baseline + FONT + 6, category))
        parts.append("</g>")

    # Axis titles, shared by the panels.
    middle_y = (height - AXIS_LABEL) / 2
    parts.append(
        _text(
            0,
            0,
            value_axis_label,
            extra=f' transform="translate({FONT + 2} {middle_y:g}) rotate(-90)"',
        )
    )
    parts.append(_text(plot_left + plot_width / 2, height - 8, category_axis_label))
    parts.append("</svg>")
    return "".join(parts)
