"""Server-rendered SVG charts: data in, SVG string out. Pure (no ORM, no request), so the pages and the PDF
reports draw the same picture from the same numbers.

Readable on a phone: each chart is drawn at a size that fits a phone's card (about 330 px) and carries
``min-width`` of that size, so the browser never shrinks it — its 13 px labels stay 13 px, and a chart wider than
the screen scrolls in its box (``.chart-box`` in site.css) instead of shrinking. Every label's width is estimated
(CJK glyphs are 1 em, Latin ones about 0.6 em) and the drawing grows to hold it, so a long English label is never
cut; one too long for its column is set on two lines."""

import math
import unicodedata
from html import escape

FONT = "font-family=\"'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei',sans-serif\""
# The platform's palette (static/css/site.css): blue, green, amber, purple, teal, red, grey.
PALETTE = ["#1456a0", "#17693b", "#b54708", "#6941c6", "#0e7490", "#b42318", "#5e6b7a"]
INK = "#1c2733"
MUTED = "#566273"
GRID = "#d5dce6"
FONT_SIZE = 13  # user units = CSS px, since a chart is never drawn smaller than its own size
LINE = 16  # line height of a label
PHONE_WIDTH = 330  # a phone's card (390 px screen less the page's and the card's padding)
MAX_SCALE = 1.35  # how much larger than drawn a chart may be shown on a wide screen


def _num(value) -> str:
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """The estimated drawn width of `text`: full-width (CJK) characters 1 em, others about 0.6 em."""
    width = 0.0
    for ch in str(text):
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 1.0
        elif ch == " ":
            width += 0.3
        elif ch.isupper() or ch.isdigit():
            width += 0.65
        else:
            width += 0.56
    return width * size


def wrap(text: str, room: float) -> list[str]:
    """`text` on one line if it fits `room`, else on two: split at the space nearest the middle, or (CJK, no
    space) in the middle. Never more than two lines: the caller makes room for the longer one."""
    text = str(text)
    if text_width(text) <= room:
        return [text]
    if " " in text:
        spaces = [i for i, ch in enumerate(text) if ch == " "]
        cut = min(spaces, key=lambda i: abs(text_width(text[:i]) - text_width(text[i + 1 :])))
        return [text[:cut], text[cut + 1 :]]
    half = math.ceil(len(text) / 2)
    return [text[:half], text[half:]]


def _lines_width(lines: list[str]) -> float:
    return max(text_width(line) for line in lines)


def _text(
    x: float, y: float, lines: list[str], *, anchor: str = "start", fill: str = INK, extra: str = ""
) -> str:
    """A label of one or two lines; `y` is the baseline of the first line."""
    if len(lines) == 1:
        content = escape(lines[0])
    else:
        content = "".join(
            f'<tspan x="{x:.1f}" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{extra}>{content}</text>'


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    width, height = math.ceil(width), math.ceil(height)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'style="min-width:{width}px;max-width:{math.ceil(width * MAX_SCALE)}px" '
        f'role="img" aria-label="{escape(title)}" {FONT} font-size="{FONT_SIZE}" data-chart-width="{width}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bar_chart(
    data: list[tuple[str, float]],
    *,
    title: str = "",
    width: int = PHONE_WIDTH,
    bar_height: int = 20,
    color: str = PALETTE[0],
) -> str:
    """Horizontal bars, one per (label, value); the value is written at the end of each bar. The label column
    is as wide as the longest label (up to 45 % of the width; longer ones go on two lines)."""
    pad = 8
    labels = [wrap(str(label), width * 0.45) for label, _v in data]
    label_w = max([_lines_width(lines) for lines in labels] + [20]) + 8
    value_w = max([text_width(_num(v)) for _l, v in data] + [10]) + 6
    plot_w = max(120, width - label_w - value_w)
    width = label_w + plot_w + value_w
    top = max([float(v) for _l, v in data] + [1])
    body, y = [], pad
    for lines, (_label, value) in zip(labels, data, strict=True):
        row = max(bar_height, len(lines) * LINE + 4)
        mid = y + row / 2
        w = plot_w * float(value) / top
        first_baseline = mid + 4.5 - (len(lines) - 1) * LINE / 2
        body.append(
            _text(label_w - 6, first_baseline, lines, anchor="end")
            + f'<rect x="{label_w:.1f}" y="{mid - bar_height / 2:.1f}" width="{w:.1f}" height="{bar_height}" '
            f'fill="{color}" rx="3"/>'
            + _text(label_w + w + 4, mid + 4.5, [_num(value)], extra=' font-weight="700"')
        )
        y += row + pad
    body.insert(
        0, f'<line x1="{label_w:.1f}" y1="{pad / 2}" x2="{label_w:.1f}" y2="{y - pad / 2}" stroke="{GRID}"/>'
    )
    return _svg(width, max(y, 2 * pad), body, title)


def heatmap(
    rows: list[str],
    columns: list[str],
    values: list[list[float]],
    *,
    title: str = "",
    cell: int = 34,
    label_width: int = 0,
) -> str:
    """A grid of cells shaded by value (darker = more), each cell labelled with its value. Column headings that
    are wider than a cell go on two lines, and cells widen to the longer line."""
    top = max([float(v) for row in values for v in row] + [1])
    heads = [wrap(str(col), cell - 4) for col in columns]
    cell = max([cell] + [math.ceil(_lines_width(lines)) + 8 for lines in heads])
    head = 8 + max([len(lines) for lines in heads] + [1]) * LINE
    label_width = max(label_width, math.ceil(max([text_width(str(r)) for r in rows] + [20])) + 10)
    width = label_width + cell * len(columns) + 4
    height = head + cell * len(rows) + 4
    body = []
    for j, lines in enumerate(heads):
        x = label_width + j * cell + cell / 2 - 1
        body.append(_text(x, head - 6 - (len(lines) - 1) * LINE, lines, anchor="middle", fill=MUTED))
    for i, row in enumerate(rows):
        y = head + i * cell
        body.append(_text(label_width - 6, y + cell / 2 + 4, [str(row)], anchor="end"))
        for j, value in enumerate(values[i]):
            share = float(value) / top
            # Shades of the platform's blue (20, 86, 160); the figure turns white where the cell is dark enough.
            fill = f"rgba(20,86,160,{0.1 + 0.9 * share:.3f})" if value else "#f3f6fa"
            ink = "#fff" if share > 0.5 else INK
            x = label_width + j * cell
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}" rx="2"/>'
                + _text(x + cell / 2 - 1, y + cell / 2 + 4, [_num(value)], anchor="middle", fill=ink)
            )
    return _svg(width, height, body, title)


def radar(
    axes: list[tuple[str, float]], series: list[tuple[str, list[float]]], *, title: str = "", size: int = 170
) -> str:
    """A radar (spider) chart: `axes` are (label, maximum); each series is (name, values per axis). `size` is
    the plot's diameter; the drawing grows around it to hold every axis label (none is cut) and the legend
    below it."""
    n = max(3, len(axes))
    radius = size / 2
    gap = 10
    labels = [wrap(str(label), 6.5 * FONT_SIZE) for label, _max in axes]

    def point(k, share):
        angle = -math.pi / 2 + 2 * math.pi * k / n
        return radius * share * math.cos(angle), radius * share * math.sin(angle)

    # Place each label beyond the rim (origin at the centre for now), and find the box that holds them all.
    placed, xs, ys = [], [-radius, radius], [-radius, radius]
    for k, lines in enumerate(labels):
        ux, uy = point(k, 1)
        lx, ly = ux * (radius + gap) / radius, uy * (radius + gap) / radius
        w, h = _lines_width(lines), len(lines) * LINE
        if abs(lx) < 4:
            anchor, left = "middle", lx - w / 2
        elif lx > 0:
            anchor, left = "start", lx
        else:
            anchor, left = "end", lx - w
        top = ly - h if ly < -4 else (ly if ly > 4 else ly - h / 2)
        placed.append((lines, lx, top, anchor))
        xs += [left, left + w]
        ys += [top, top + h]
    legend = [(str(name), PALETTE[s % len(PALETTE)]) for s, (name, _v) in enumerate(series)]
    legend_w = sum(18 + text_width(name) + 14 for name, _c in legend)
    margin = 6
    width = max(max(xs) - min(xs), legend_w) + 2 * margin
    cx = margin + (width - 2 * margin) / 2 - (max(xs) + min(xs)) / 2
    cy = margin - min(ys)
    plot_bottom = margin + max(ys) - min(ys)
    height = plot_bottom + (12 + LINE if legend else 0) + margin

    body = []
    for ring in (0.25, 0.5, 0.75, 1):
        pts = " ".join(f"{cx + x:.1f},{cy + y:.1f}" for x, y in (point(k, ring) for k in range(n)))
        body.append(f'<polygon points="{pts}" fill="none" stroke="{GRID}"/>')
    for k, (lines, lx, top, anchor) in enumerate(placed):
        x, y = point(k, 1)
        body.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{cx + x:.1f}" y2="{cy + y:.1f}" stroke="{GRID}"/>'
            + _text(cx + lx, cy + top + LINE - 4, lines, anchor=anchor)
        )
    for s, (name, values) in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        shares = [
            min(1.0, float(v) / float(m)) if float(m) else 0 for v, (_l, m) in zip(values, axes, strict=True)
        ]
        pts = " ".join(f"{cx + x:.1f},{cy + y:.1f}" for x, y in (point(k, sh) for k, sh in enumerate(shares)))
        body.append(
            f'<polygon points="{pts}" fill="{color}" fill-opacity="0.2" stroke="{color}" stroke-width="2">'
            f"<title>{escape(str(name))}</title></polygon>"
        )
    x = margin
    for name, color in legend:
        y = plot_bottom + 12
        body.append(
            f'<rect x="{x:.1f}" y="{y + 2:.1f}" width="11" height="11" fill="{color}" rx="2"/>'
            + _text(x + 16, y + 12, [name])
        )
        x += 18 + text_width(name) + 14
    return _svg(width, height, body, title)
