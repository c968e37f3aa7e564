"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]


def check_character(first17: str) -> str:
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    value = 31 - total % 31
    return ALPHABET[0 if value == 31 else value]


def normalise(code: str) -> str:
    return (code or "").strip().upper()


def validate_credit_code(code: str) -> None:
    """Raise ValidationError with a message naming exactly what is wrong."""
    code = normalise(code)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(code)}, code="length"
        )
    bad = [ch for ch in code if ch not in VALUES]
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有非法字符“%(ch)s”（不使用I、O、Z、S、V）。") % {"ch": bad[0]},
            code="character",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：第18位应为“%(expected)s”，实际为“%(actual)s”。")
            % {"expected": expected, "actual": code[17]},
            code="check",
        )


def make_credit_code(body17: str) -> str:
    """Complete 17 characters with their check character (for demo data and tests)."""
    return body17 + check_character(body17)
