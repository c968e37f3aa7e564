from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账户与机构"

    def ready(self):
        from . import (
            audit,  # noqa: F401 - registers this app's audit actions (core.actions)
            signin,  # noqa: F401 (connects the sign-in audit receivers)
        )
