from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "评测"

    def ready(self):
        from . import audit  # noqa: F401 - registers this app's audit actions (core.actions)
