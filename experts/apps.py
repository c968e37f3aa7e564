from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "专家评审"

    def ready(self):
        from . import audit  # noqa: F401 - registers this app's audit actions (core.actions)
