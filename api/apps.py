from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "数据接口"

    def ready(self):
        from . import audit  # noqa: F401 - registers this app's audit actions (core.actions)
