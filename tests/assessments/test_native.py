"""The contract compiled to C (assessments/native.py, built by scripts/build_native from bootstrap).

The shipped edition runs compiled; the compiled function and the same text run as Python agree on every input,
valid or not (each gives way to the careful path on the same inputs); a module is only ever loaded for the text
it was compiled from.
"""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import native
from assessments.engine import compiled, grade_json
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
