"""Compiled contracts (``c_<digest>`` extension modules), built by scripts/build_native; see assessments/native.py."""
