from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账户与机构"

    def ready(self):
        from . import signin  # noqa: F401 (connects the sign-in audit receivers)
