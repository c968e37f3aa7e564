from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "监督管理"

    def ready(self):
        from accounts.signals import industry_changed

        from . import audit  # noqa: F401 - registers this app's audit actions (core.actions)
        from .figures import on_industry_changed

        industry_changed.connect(on_industry_changed, dispatch_uid="supervision.figures.move_industry")
