"""Server-rendered SVG charts: data in, SVG string out. Pure (no ORM, no request), so the pages and the PDF
reports draw the same picture from the same numbers."""

import math
from html import escape

FONT = "font-family=\"'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei',sans-serif\""
PALETTE = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#d63384", "#20c997", "#6c757d"]


def _num(value) -> str:
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" {FONT} font-size="12">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bar_chart(
    data: list[tuple[str, float]],
    *,
    title: str = "",
    width: int = 480,
    bar_height: int = 22,
    color: str = PALETTE[0],
) -> str:
    """Horizontal bars, one per (label, value); the value is written at the end of each bar."""
    label_w, pad = 110, 8
    height = max(1, len(data)) * (bar_height + pad) + pad
    top = max([float(v) for _l, v in data] + [1])
    plot_w = width - label_w - 50
    body = []
    for i, (label, value) in enumerate(data):
        y = pad + i * (bar_height + pad)
        w = plot_w * float(value) / top
        body.append(
            f'<text x="{label_w - 6}" y="{y + bar_height / 2 + 4}" text-anchor="end">{escape(str(label))}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{color}" rx="2"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar_height / 2 + 4}">{_num(value)}</text>'
        )
    return _svg(width, height, body, title)


def heatmap(
    rows: list[str],
    columns: list[str],
    values: list[list[float]],
    *,
    title: str = "",
    cell: int = 34,
    label_width: int = 120,
) -> str:
    """A grid of cells shaded by value (darker = more), each cell labelled with its value."""
    top = max([float(v) for row in values for v in row] + [1])
    head = 24
    width = label_width + cell * len(columns) + 4
    height = head + cell * len(rows) + 4
    body = []
    for j, col in enumerate(columns):
        x = label_width + j * cell + cell / 2
        body.append(f'<text x="{x}" y="{head - 8}" text-anchor="middle">{escape(str(col))}</text>')
    for i, row in enumerate(rows):
        y = head + i * cell
        body.append(
            f'<text x="{label_width - 6}" y="{y + cell / 2 + 4}" text-anchor="end">{escape(str(row))}</text>'
        )
        for j, value in enumerate(values[i]):
            share = float(value) / top
            fill = f"rgba(13,110,253,{0.08 + 0.85 * share:.3f})" if value else "#f8f9fa"
            ink = "#fff" if share > 0.55 else "#212529"
            x = label_width + j * cell
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}"/>'
                f'<text x="{x + cell / 2 - 1}" y="{y + cell / 2 + 4}" text-anchor="middle" fill="{ink}">'
                f"{_num(value)}</text>"
            )
    return _svg(width, height, body, title)


def radar(
    axes: list[tuple[str, float]], series: list[tuple[str, list[float]]], *, title: str = "", size: int = 320
) -> str:
    """A radar (spider) chart: `axes` are (label, maximum); each series is (name, values per axis)."""
    n = max(3, len(axes))
    margin = 72  # room for axis labels left and right of the plot
    width = size + 2 * margin
    cx, cy = width / 2, size / 2
    radius = size / 2 - 40
    body = []

    def point(k, share):
        angle = -math.pi / 2 + 2 * math.pi * k / n
        return cx + radius * share * math.cos(angle), cy + radius * share * math.sin(angle)

    for ring in (0.25, 0.5, 0.75, 1):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(k, ring) for k in range(n)))
        body.append(f'<polygon points="{pts}" fill="none" stroke="#dee2e6"/>')
    for k, (label, _max) in enumerate(axes):
        x, y = point(k, 1)
        lx, ly = point(k, 1.18)
        anchor = "middle" if abs(lx - cx) < 4 else ("start" if lx > cx else "end")
        body.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#dee2e6"/>'
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="{anchor}">{escape(str(label))}</text>'
        )
    for s, (name, values) in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        shares = [
            min(1.0, float(v) / float(m)) if float(m) else 0 for v, (_l, m) in zip(values, axes, strict=True)
        ]
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(k, sh) for k, sh in enumerate(shares)))
        body.append(
            f'<polygon points="{pts}" fill="{color}" fill-opacity="0.2" stroke="{color}" stroke-width="2">'
            f"<title>{escape(str(name))}</title></polygon>"
        )
        body.append(
            f'<rect x="8" y="{8 + s * 18}" width="10" height="10" fill="{color}"/>'
            f'<text x="22" y="{17 + s * 18}">{escape(str(name))}</text>'
        )
    return _svg(width, size, body, title)
