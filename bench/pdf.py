"""Benchmark of the PDF reports: the self-assessment report against a minimal one-page WeasyPrint document in
the same font, in the same run.

    .venv/bin/python bench/pdf.py [--repeat 7] [--max-ratio 3]

Both documents go through the one PDF helper (documents.pdf: the same reused FontConfiguration, the same
Noto CJK font, subsetting by HarfBuzz). Each is rendered once to warm up, then `--repeat` times; the medians
are compared. Times are the process's CPU time (time.process_time): on a shared machine wall time mostly
measures the neighbours. Exits non-zero when the report takes more than `--max-ratio` times as long as the
minimal page.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shunyi_eval.settings")
os.environ.setdefault("DEBUG", "1")  # the development settings: no production SECRET_KEY needed to render

import django  # noqa: E402

django.setup()

from assessments.engine import grade_partial  # noqa: E402
from assessments.framework import get_edition  # noqa: E402
from documents.pdf import render_html, render_pdf  # noqa: E402
from documents.presenters import self_context  # noqa: E402
from documents.reports import TEMPLATES  # noqa: E402

MINIMAL = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm; }
html { font-family: "Noto Sans CJK SC"; font-size: 10pt; }
</style></head><body><h1>数字化水平自评报告</h1><p>北京顺义精工机械有限公司：自评等级三级（集成级）。</p></body></html>"""


def content():
    ed = get_edition()
    answers = {
        i.code: (list(range(1, len(i.options))) if i.is_multi else len(i.options) - 2) for i in ed.items
    }
    scenarios = {s.code: [True, True, n % 3 != 0, False] for n, s in enumerate(ed.scenarios)}
    return {
        "number": "SY2026-00001",
        "kind": "首次评测",
        "profile": {
            "name": "北京顺义精工机械有限公司",
            "credit_code": "91110113MA00000000",
            "industry": "制造业",
            "address": "北京市顺义区测试路1号",
            "employees": 120,
            "revenue": "8000.00",
            "contact_name": "张三",
        },
        "edition": ed.code,
        "version": 1,
        "submitted_at": "2026-11-25T10:00:00+08:00",
        "result": grade_partial(ed.code, answers, scenarios, {}).to_json(),
    }


def timed(fn, repeat):
    fn()  # warm-up: font lookup, template compilation
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times), times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--max-ratio", type=float, default=3.0)
    args = parser.parse_args(argv)

    ctx = self_context(content())
    pages = {}

    def report():
        data, pages["report"] = render_pdf(TEMPLATES["self"], ctx)
        pages["report_bytes"] = len(data)

    def minimal():
        data, pages["minimal"] = render_html(MINIMAL)
        pages["minimal_bytes"] = len(data)

    # Interleave the two so machine load hits both alike.
    m_times, r_times = [], []
    minimal()
    report()
    for _ in range(args.repeat):
        start = time.process_time()
        minimal()
        m_times.append(time.process_time() - start)
        start = time.process_time()
        report()
        r_times.append(time.process_time() - start)
    m, r = statistics.median(m_times), statistics.median(r_times)
    ratio = r / m
    print(
        f"minimal one-page document: median {m * 1000:.0f} ms ({pages['minimal']} page, {pages['minimal_bytes']} bytes)"
    )
    print(
        f"self-assessment report:    median {r * 1000:.0f} ms ({pages['report']} pages, {pages['report_bytes']} bytes)"
    )
    print(f"ratio {ratio:.2f} (limit {args.max_ratio:g}) over {args.repeat} repetitions each")
    return 0 if ratio <= args.max_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
