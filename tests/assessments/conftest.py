"""Fixtures for the framework / engine / grade command tests (pure: no database)."""

from pathlib import Path

import pytest

from assessments import framework
from assessments.framework import get_edition, load_edition, register_edition

EDITIONS_DIR = Path(__file__).resolve().parent / "editions"
NATIONAL_TEST_FILE = EDITIONS_DIR / "national-test.json"


def blank_answers(edition=None) -> dict:
    """Every item at its lowest answer: option 0 for single choice, [0] (无) for multiple choice."""
    edition = edition or get_edition()
    return {item.code: ([0] if item.kind == "multi" else 0) for item in edition.items}


def make_input(answers=None, scenarios=None, data=None, framework_code=None, edition=None) -> dict:
    """A contract input object (RULES.md §6): blank answers and level-0 scenarios, then the overrides."""
    edition = edition or get_edition(framework_code)
    obj = {
        "answers": {**blank_answers(edition), **(answers or {})},
        "scenarios": {**{s.code: 0 for s in edition.scenarios}, **(scenarios or {})},
    }
    if framework_code is not None:
        obj["framework"] = framework_code
    if data is not None:
        obj["data"] = data
    return obj


@pytest.fixture
def shunyi():
    return get_edition("shunyi-2024")


@pytest.fixture
def national():
    """The made-up second edition, loaded from its file and registered under its code for the test."""
    edition = register_edition(load_edition(NATIONAL_TEST_FILE))
    yield edition
    framework._registered.pop(edition.code, None)
