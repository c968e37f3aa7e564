"""The contract's generated function, compiled to C by Cython for the editions the platform ships.

The engine writes each edition's contract as one Python function (``engine._fast``), closed over its tables.
``scripts/build_native`` (run by ``scripts/bootstrap``) compiles that very text with Cython into
``assessments/_native/c_<digest>.so``, named by the SHA-256 of the text compiled. The engine loads a module only
under the digest of the text it has just generated, so a module built from other tables (an edited edition file,
an older engine) is never used: the engine then runs the same function as Python, with the same results, slower.

The compiled text adds only declarations: each table's Python type (dict, tuple, frozenset), the input's sections
as dicts, and as C longs the figures that the tables bound (points in units of at most 200,000, level counts of
a few bits). Everything else stays a Python object, with Python's semantics. A value of another type than its
declaration raises TypeError, which, like any exception of the function, sends the input the careful way.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

PACKAGE = "assessments._native"
DIRECTORY = Path(__file__).resolve().parent / "_native"
_TYPES = {dict: "dict", tuple: "tuple", frozenset: "frozenset"}


def _declare(pairs) -> str:
    return "@cython.locals(" + ", ".join(f"{name}={kind}" for name, kind in pairs) + ")\n"


def cython_text(source: str, tables: dict, local_types: dict[str, str]) -> str:
    """What Cython compiles: the generated source with the declarations above its two functions."""
    outer = _declare((name, _TYPES[type(v)]) for name, v in tables.items() if type(v) in _TYPES)
    inner = _declare(local_types.items())
    head, sep, body = source.partition("\n    def fast(obj):")
    assert sep, "the generated source has its inner function"
    return (
        f"import cython\n{outer}{head}\n    {inner.replace(chr(10), chr(10) + '    ')}def fast(obj):{body}\n"
    )


def module_name(text: str) -> str:
    return "c_" + hashlib.sha256(text.encode()).hexdigest()[:24]


def load(text: str, tables: dict):
    """The compiled function of exactly this text over these tables; None when it was not built."""
    try:
        module = importlib.import_module(f"{PACKAGE}.{module_name(text)}")
    except ImportError:
        return None
    return module.make(**tables)
