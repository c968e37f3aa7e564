"""The SVG charts' geometry (supervision.charts), without a browser: every label lies inside the drawing by its
estimated width, a long label goes on two lines instead of being cut, and the chart never shrinks below the size
it was drawn at (so its 13 px labels stay at least 12 px on a phone). tests/e2e/test_look.py measures the same
in Chromium."""

import re
from xml.dom.minidom import parseString

import pytest

from supervision import charts

STATES_ZH = [
    "已提交",
    "退回补正",
    "已撤回",
    "不予受理",
    "已受理",
    "已分派",
    "资料审核",
    "现场查验",
    "待审定",
    "已认定",
]
STATES_EN = ["Submitted", "Returned for correction", "Withdrawn", "Not accepted", "On-site inspection"]


def _size(svg: str) -> tuple[int, int]:
    root = parseString(svg).documentElement
    _x, _y, w, h = (int(v) for v in root.getAttribute("viewBox").split())
    return w, h


def _texts(svg: str):
    """(x, y, anchor, lines) of each <text>, lines being its tspans or its own text."""
    for node in parseString(svg).getElementsByTagName("text"):
        spans = node.getElementsByTagName("tspan")
        lines = [s.firstChild.data for s in spans] if spans else [node.firstChild.data]
        yield (
            float(node.getAttribute("x")),
            float(node.getAttribute("y")),
            node.getAttribute("text-anchor"),
            lines,
        )


def _inside(svg: str):
    width, height = _size(svg)
    for x, y, anchor, lines in _texts(svg):
        w = max(charts.text_width(line) for line in lines)
        left = {"end": x - w, "middle": x - w / 2}.get(anchor, x)
        assert left >= -0.5 and left + w <= width + 0.5, (lines, left, w, width)
        assert y - charts.FONT_SIZE >= -0.5 and y + (len(lines) - 1) * charts.LINE <= height + 0.5, (lines, y)


def test_text_width_counts_cjk_as_one_em_and_latin_as_less():
    assert charts.text_width("已提交") == 3 * charts.FONT_SIZE
    assert charts.text_width("abc") < 2 * charts.FONT_SIZE
    assert charts.text_width("Returned for correction") > charts.text_width("退回补正")


@pytest.mark.parametrize("labels", [STATES_ZH, STATES_EN], ids=["zh", "en"])
def test_bar_chart_labels_fit_and_the_chart_never_shrinks(labels):
    svg = charts.bar_chart([(label, i) for i, label in enumerate(labels)], title="状态")
    _inside(svg)
    width, _h = _size(svg)
    assert f"min-width:{width}px" in svg
    if labels is STATES_ZH:
        assert width <= charts.PHONE_WIDTH  # fits a phone's card: no sideways scrolling in Chinese


def test_a_long_english_label_goes_on_two_lines_not_off_the_chart():
    svg = charts.bar_chart([("Returned for correction", 1), ("Awaiting approval", 2)], title="x")
    lines = [lines for _x, _y, _a, lines in _texts(svg)]
    assert ["Returned for", "correction"] in lines
    _inside(svg)


def test_heatmap_column_headings_fit_their_cells():
    columns = ["Level 0", "Level 1", "Level 2", "Level 3", "Level 4"]
    svg = charts.heatmap(
        ["S01 产品设计", "S16 决策支持"], columns, [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0]], title="x"
    )
    _inside(svg)
    heads = [(x, lines) for x, _y, _a, lines in _texts(svg) if lines[0] == "Level"]
    assert len(heads) == 5
    cell = heads[1][0] - heads[0][0]
    assert all(charts.text_width(line) + 4 <= cell for _x, lines in heads for line in lines)
    assert _size(svg)[0] <= charts.PHONE_WIDTH


@pytest.mark.parametrize(
    "axes",
    [
        [("数字化基础", 50), ("数字化管理", 30), ("数字化成效", 20)],
        [("Digital foundation", 50), ("Digital management", 30), ("Digital effectiveness", 20)],
        [(f"二级指标{i}号名称较长", 10) for i in range(8)],
    ],
    ids=["three", "english", "eight"],
)
def test_radar_grows_to_hold_every_axis_label_and_the_legend(axes):
    svg = charts.radar(axes, [("自评", [5] * len(axes)), ("核定", [4] * len(axes))], title="雷达")
    _inside(svg)
    assert svg.count("<polygon") == 4 + 2
    if len(axes) == 3 and axes[0][0].startswith("数字化"):
        assert _size(svg)[0] <= charts.PHONE_WIDTH


def test_values_are_written_as_decimals():
    svg = charts.bar_chart([("待审定", 2.5), ("已认定", 3)], title="x")
    assert re.search(r">2\.5<", svg) and re.search(r">3<", svg)
