"""`POST /api/grade` is the RULES.md §6 contract through the same function as `manage.py grade`: on the same
input the same output, and the same refusals (the message in the caller's language, the field named)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from tests.assessments.conftest import make_input
from tests.assessments.test_grade_command import BAD_Q1, LEVEL_ONE

pytestmark = pytest.mark.django_db

# RULES.md §6's input example, its elided answers filled in (every item at its best option)
RULES_EXAMPLE = factories.answer_set(3) | {
    "data": {
        "equipment_total": 50,
        "equipment_digital": 12,
        "equipment_networked": 10,
        "investment_by_year": [120, 130],
        "revenue_by_year": [5000, 5200],
        "prev_year": {
            "employees": 100,
            "revenue": 5000,
            "cost": 4000,
            "energy": [
                {"source": "electricity", "amount": 310},
                {"source": "blast_furnace_gas", "amount": "1.5"},
            ],
            "conversion_output_tce": 0,
            "recovered_tce": 0,
        },
        "last_year": {"employees": 110, "revenue": 6000, "cost": 4500, "energy_tce": 300.5},
        "pass_rate_before": 0.95,
        "pass_rate_after": 0.97,
    }
}
INPUTS = {
    "rules_example": RULES_EXAMPLE,
    "level_one": LEVEL_ONE,
    "blank": make_input(),
    "array": [LEVEL_ONE, make_input(), RULES_EXAMPLE],
    "empty_array": [],
}


@pytest.fixture
def bureau_token(personas):
    from tests.api.conftest import token

    return token()


def command(text: str) -> str:
    out = io.StringIO()
    call_command("grade", "-", stdin=io.StringIO(text), stdout=out)
    return out.getvalue()


def post(call, token, text, **headers):
    return call(
        "post", "/api/grade", token=token, data=text, content_type="application/json", headers=headers
    )


@pytest.mark.parametrize("name", list(INPUTS))
def test_the_api_answers_what_the_command_prints(call, bureau_token, name):
    text = json.dumps(INPUTS[name], ensure_ascii=False)
    response = post(call, bureau_token, text)
    assert response.status_code == 200, response.content
    printed = command(text)
    # the same values, keys in the same order, at every depth
    assert json.loads(response.content, object_pairs_hook=list) == json.loads(printed, object_pairs_hook=list)


def test_the_rules_example_grades_as_the_engine_says(call, bureau_token):
    result = post(call, bureau_token, json.dumps(RULES_EXAMPLE)).json()
    assert result["energy_tce"] == {"prev_year": "382.919", "last_year": "300.5"}
    assert result["level"] == 3 and result["framework"] == "shunyi-2024"


def test_decimals_are_read_exactly_as_the_command_reads_them(call, bureau_token):
    # 0.1 + 0.2 as binary floats is not 0.3: the engine's own reader keeps the decimals the caller wrote
    text = json.dumps(LEVEL_ONE | {"data": {"last_year": {"energy_tce": 0.1}}})
    text = text.replace("0.1", "0.10000000000000000001")
    response = post(call, bureau_token, text)
    assert response.json() == json.loads(command(text))


BAD = {
    "bad_q1": (json.dumps(BAD_Q1), "Q1", "none_combined"),
    "bad_in_array": (json.dumps([LEVEL_ONE, LEVEL_ONE, BAD_Q1]), "[2].Q1", "none_combined"),
    "not_json": ("{", "input", "invalid_json"),
    "empty": ("", "input", "invalid_json"),
    "a_number": ("42", "input", "not_assessment"),
    "duplicate_key": ('{"answers": {"Q1": [1]}, "answers": {}}', "input", "invalid_json"),
    "unknown_edition": ('[{"framework": "shunyi-1999"}]', "[0].framework", "unknown_framework"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_refusals_match_the_command(call, bureau_token, name):
    text, field, code = BAD[name]
    with pytest.raises(CommandError) as info:
        command(text)
    response = post(call, bureau_token, text, **{"accept-language": "en"})
    assert response.status_code == 400
    body = response.json()
    assert (body["field"], body["code"]) == (field, code)
    assert body["detail"] == str(info.value)  # the command speaks English, as RULES.md §6 shows it


def test_a_refusal_in_chinese_by_default(call, bureau_token):
    body = post(call, bureau_token, json.dumps(BAD_Q1)).json()
    assert body == {"detail": "Q1: “无”不能与其他选项同时选择", "code": "none_combined", "field": "Q1"}


def test_an_oversized_body_is_refused_with_413(call, bureau_token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(call, bureau_token, json.dumps([LEVEL_ONE] * 20))
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
