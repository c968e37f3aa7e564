"""Password rules (等保2.0 二级): at least 10 characters, letters and digits, not the username or like the
account's other attributes, not a common password. Each rule speaks Chinese (English in locale/en)."""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MIN_LENGTH = 10


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def __init__(self, min_length=MIN_LENGTH):
        super().__init__(min_length=min_length)

    def get_error_message(self):
        return ngettext(
            "密码太短，至少需要 %d 个字符。", "密码太短，至少需要 %d 个字符。", self.min_length
        ) % (self.min_length,)

    def get_help_text(self):
        return ngettext(
            "密码至少 %(min_length)d 个字符。", "密码至少 %(min_length)d 个字符。", self.min_length
        ) % {"min_length": self.min_length}


class LettersAndDigitsValidator:
    """Both at least one letter and at least one digit."""

    def validate(self, password, user=None):
        if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
            raise ValidationError(self.get_error_message(), code="password_letters_and_digits")

    def get_error_message(self):
        return _("密码须同时包含字母和数字。")

    def get_help_text(self):
        return _("密码须同时包含字母和数字。")


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's similarity check, plus: the password never contains the username."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")
        super().validate(password, user)

    def get_error_message(self):
        return _("密码与%(verbose_name)s过于相似。")

    def get_help_text(self):
        return _("密码不能包含用户名，也不能与您的姓名、邮箱等个人信息过于相似。")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("该密码过于常见，请换一个。")

    def get_help_text(self):
        return _("不能使用常见密码。")
