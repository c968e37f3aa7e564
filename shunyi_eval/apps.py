from django.apps import AppConfig


class ShunyiEvalConfig(AppConfig):
    """The project itself, as the last app: once every app is loaded it registers the site's permissions."""

    name = "shunyi_eval"
    verbose_name = "顺义区中小企业数字化水平评测平台"

    def ready(self):
        from . import permissions  # noqa: PLC0415 - app loading: the apps' models must exist first

        permissions.register()
