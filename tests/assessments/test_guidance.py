"""The questionnaire's guidance: section navigation with % complete, the next unanswered, the live bar, and
the next-level gap as suggestions (scenarios closest to the next level, items with the most points to gain)."""

import pytest

from assessments import guidance, selectors
from assessments.framework import get_edition

pytestmark = pytest.mark.django_db
URL = "/enterprise/self-assessment/"


def test_an_empty_questionnaire_guides_to_its_first_question(personas, client_for, working):
    body = client_for(personas.owner).get(URL).content.decode()
    edition = get_edition()
    first = edition.dimensions[0].secondaries[0].items[0].code
    assert 'data-testid="q-sections"' in body
    assert 'data-testid="live-bar"' in body
    assert f'href="#item-{first}" data-testid="next-unanswered"' in body
    for d in edition.dimensions:
        assert f'id="section-{d.code}"' in body
    assert 'id="section-scenarios"' in body
    assert 'data-testid="best-items"' in body
    assert 'data-testid="closest-scenarios"' in body


def test_sections_count_answers_and_suggestions_come_from_the_engine(working):
    edition = get_edition()
    result = selectors.evaluate(working)
    g = guidance.guidance(edition, result)
    assert [s.percent for s in g["sections"]] == [0, 0, 0, 0]
    assert len(g["sections"]) == len(edition.dimensions) + 1
    # Every scenario is at level 0: each closest one still needs exactly the next level's criterion.
    nxt = result.next_level
    assert all(len(s.missing) == nxt.level for s in g["closest_scenarios"])
    top = g["best_items"][0]
    assert top.item.points == max(i.points for i in edition.items)
    assert "/" not in top.gain


def test_the_gap_to_the_next_level_lists_only_what_is_still_missing(personas, client_for):
    from tests.supervision import helpers

    helpers.application(personas.enterprise, level=2, by=personas.owner)
    body = client_for(personas.owner).get("/enterprise/self-assessment/").content.decode()
    assert 'data-testid="panel-next"' in body
    assert "得分 0.00 分" not in body
