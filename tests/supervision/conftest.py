import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Eleven personas with the production hasher cost seconds per test on a shared machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
