from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "监督管理"

    def ready(self):
        from . import audit  # noqa: F401 - registers this app's audit actions (core.actions)
