"""Signed, time-limited links sent by e-mail: the e-mail confirmation link and the set-password link."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

CONFIRM_SALT = "accounts.email-confirmation"


def confirmation_max_age() -> int:
    return settings.EMAIL_CONFIRMATION_MAX_AGE


def make_confirmation_token(user, email: str | None = None) -> str:
    """The token names the user and the address it was sent to: changing the address voids older links."""
    address = user.email if email is None else email
    return signing.dumps({"u": user.pk, "e": address.lower()}, salt=CONFIRM_SALT, compress=True)


def read_confirmation_token(token: str) -> tuple[int, str]:
    """(user id, e-mail) or signing.SignatureExpired / signing.BadSignature."""
    data = signing.loads(token, salt=CONFIRM_SALT, max_age=confirmation_max_age())
    return int(data["u"]), str(data["e"])


def confirmation_url(user) -> str:
    return settings.SITE_URL + reverse("accounts:confirm_email", args=[make_confirmation_token(user)])


def new_email_confirmation_url(user) -> str:
    """The link sent to the new address the user asked for (user.pending_email)."""
    token = make_confirmation_token(user, email=user.pending_email)
    return settings.SITE_URL + reverse("accounts:confirm_email", args=[token])


def no_link(user) -> str:
    return ""


def login_url(user) -> str:
    return settings.SITE_URL + reverse("accounts:login")


def set_password_url(user) -> str:
    """Django's password-reset link (same token generator): a new colleague sets a first password with it."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])
