"""统一社会信用代码 (GB 32100-2015): one Chinese message per kind of failure."""

import pytest
from django.core.exceptions import ValidationError

from accounts.credit_code import check_character, make_credit_code, validate_credit_code

GOOD = make_credit_code("91110113MA01DE000")


def test_known_check_character():
    # 91350100M000100Y43 is the standard's worked example: check character 3.
    assert check_character("91350100M000100Y4") == "3"
    validate_credit_code("91350100M000100Y43")


def test_valid_code_passes_and_is_normalised():
    validate_credit_code(GOOD)
    validate_credit_code(" " + GOOD.lower() + " ")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9111011", "统一社会信用代码应为18位，当前为7位。"),
        (GOOD + "0", "统一社会信用代码应为18位，当前为19位。"),
        ("", "统一社会信用代码应为18位，当前为0位。"),
    ],
)
def test_length(code, message):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "length"
    assert exc.value.messages == [message]


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "-", "中"])
def test_illegal_character(bad):
    code = GOOD[:5] + bad + GOOD[6:]
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "character"
    assert exc.value.messages == [f"统一社会信用代码含有非法字符“{bad}”（不使用I、O、Z、S、V）。"]


def test_wrong_check_character():
    wrong = "0" if GOOD[-1] != "0" else "1"
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(GOOD[:17] + wrong)
    assert exc.value.code == "check"
    assert exc.value.messages == [f"统一社会信用代码校验位错误：第18位应为“{GOOD[-1]}”，实际为“{wrong}”。"]


def test_check_31_maps_to_zero():
    # Find a body whose weighted sum is a multiple of 31: its check character must be "0", not out of range.
    for n in range(10_000):
        body = f"9111011300000{n:04d}"
        if check_character(body) == "0":
            validate_credit_code(body + "0")
            break
    else:  # pragma: no cover
        pytest.fail("no body with check character 0 found")
