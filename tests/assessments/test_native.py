"""The contract compiled to C (assessments/native.py, built by scripts/build_native from bootstrap).

The shipped edition runs compiled; the compiled function and the same text run as Python agree on every input,
valid or not (each gives way to the careful path on the same inputs); a module is only ever loaded for the text
it was compiled from.
"""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import native
from assessments.engine import GradingInputError, compiled, grade, grade_json, parse_assessment
from assessments.framework import get_edition, shipped_codes

from .reference import random_assessment
from .test_engine_properties import EDITION, NATIONAL, _mutations


def test_every_shipped_edition_runs_compiled():
    """bootstrap built them; a missing or stale module (an edited edition file) fails here, not silently."""
    for code in shipped_codes():
        c = compiled(get_edition(code))
        assert c.fast is not c.python_fast, f"{code} runs as Python"
        assert c.fast.__module__ == f"{native.PACKAGE}.{native.module_name(c.native_text)}", (
            "run scripts/build_native (scripts/bootstrap does)"
        )


def _outcome(fast, obj):
    try:
        return fast(obj)
    except Exception:  # noqa: BLE001 - grade_json() takes the careful path on any exception, as on None
        return None


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32))
def test_compiled_and_python_agree(seed):
    rng = random.Random(seed)
    obj = random_assessment(rng, EDITION)
    if seed % 3:
        obj = _mutations(obj, rng)
    c = compiled(EDITION)
    out = _outcome(c.fast, obj)
    assert out == _outcome(c.python_fast, obj)
    if out is not None:
        assert grade_json(obj) == out


def test_a_module_is_loaded_only_for_its_own_text():
    """An edition that was not built (a test edition) runs as Python; another text finds no module."""
    assert compiled(NATIONAL).fast is compiled(NATIONAL).python_fast
    text = compiled(EDITION).native_text
    assert native.load(text.replace("return None", "return 0", 1), {}) is None


def _first(kind):
    return next(item for item in EDITION.items if item.kind == kind)


def _bad_inputs():
    """Each input the generated function's tables must refuse (out of range, a repeat, a stray key), not grade."""
    single, multi = _first("single"), _first("multi")
    n_single, n_multi = len(single.options), len(multi.options)
    answers = {
        "single below 0": (single.code, -1),
        "single past the last option": (single.code, n_single),
        "single beyond a C long": (single.code, 2**70),
        "an option twice": (multi.code, [1, 1]),
        "an option below 0": (multi.code, [-1]),
        "an option past the last": (multi.code, [n_multi]),
        "no option": (multi.code, []),
        "无 with another": (multi.code, [0, 1]),
    }
    for name, (code, value) in answers.items():
        yield name, lambda obj, code=code, value=value: obj["answers"].__setitem__(code, value)
    first = EDITION.scenarios[0].code
    yield "a level below 0", lambda obj: obj["scenarios"].__setitem__(first, -1)
    yield "a level past the top", lambda obj: obj["scenarios"].__setitem__(first, 5)
    yield "an unknown top key", lambda obj: obj.__setitem__("extra", 1)
    yield "an unknown figure", lambda obj: obj.setdefault("data", {}).__setitem__("extra", 1)
    yield (
        "an unknown year figure",
        lambda obj: obj.setdefault("data", {}).setdefault("prev_year", {}).__setitem__("x", 1),
    )


def test_the_tables_refuse_what_the_careful_path_refuses():
    """Option and level numbers index tuples now: a negative one must not wrap round, a repeat must not pass."""
    c = compiled(EDITION)
    for name, spoil in _bad_inputs():
        obj = random_assessment(random.Random(1), EDITION)
        spoil(obj)
        for fast in (c.fast, c.python_fast):
            assert _outcome(fast, obj) is None, name
        try:
            grade(parse_assessment(obj))
        except GradingInputError:
            continue
        raise AssertionError(f"{name}: the careful path graded it")
