"""Server-rendered SVG charts, the same markup on the pages and in the PDFs (no JavaScript, no images).

Pure functions: numbers in, an SVG string out. Kept small (a few hundred bytes per axis) so the PDF renderer
spends its time on text, not on paths. The bureau's chart module may adopt `radar_svg` as it is.
"""

import math
from decimal import Decimal
from html import escape


def _num(value) -> float:
    return float(Decimal(str(value)))


def radar_svg(axes, *, size: int = 320, rings: int = 4, title: str = "") -> str:
    """A radar (spider) chart. `axes` = [(label, value, maximum), ...] with at least three axes; each value is
    drawn as its share of its maximum. Returns an inline <svg> element with a <title> for screen readers."""
    axes = list(axes)
    if len(axes) < 3:
        raise ValueError("a radar chart needs at least three axes")
    pad = 115
    cx = cy = size / 2 + pad
    radius = size / 2
    n = len(axes)

    def point(i, share):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return cx + radius * share * math.cos(angle), cy + radius * share * math.sin(angle)

    def poly(points):
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size + 2 * pad} {size + 2 * pad}" '
        f'class="chart-radar" font-family="Noto Sans CJK SC, sans-serif" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for r in range(1, rings + 1):
        parts.append(
            f'<polygon points="{poly(point(i, r / rings) for i in range(n))}" fill="none" stroke="#c8ccd2" '
            f'stroke-width="1"/>'
        )
    for i in range(n):
        x, y = point(i, 1)
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#c8ccd2" stroke-width="1"/>'
        )
    shares = []
    for _label, value, maximum in axes:
        m = _num(maximum)
        shares.append(max(0.0, min(1.0, _num(value) / m)) if m else 0.0)
    parts.append(
        f'<polygon points="{poly(point(i, s) for i, s in enumerate(shares))}" fill="#1f5fa8" fill-opacity="0.25" '
        f'stroke="#1f5fa8" stroke-width="2"/>'
    )
    for i, ((label, value, _maximum), share) in enumerate(zip(axes, shares, strict=True)):
        px, py = point(i, share)
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="#1f5fa8"/>')
        lx, ly = point(i, 1.12)
        anchor = "middle" if abs(lx - cx) < 5 else ("start" if lx > cx else "end")
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="12" text-anchor="{anchor}" dominant-baseline="middle">'
            f"{escape(str(label))} {escape(str(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
