from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app builds on: the audit trail, the task outbox and background jobs, private file serving,
    the client address of a request, the domain error type. Imports no other app of the project."""

    name = "core"
    verbose_name = "基础设施"
