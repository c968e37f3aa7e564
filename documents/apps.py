from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Reports (PDF), certificates, exports, case dossiers and the task outbox: everything made in the
    background and downloaded later."""

    name = "documents"
    verbose_name = "文档与后台任务"

    def ready(self):
        from . import audit, signals  # noqa: F401 - audit registers this app's audit actions (core.actions)

        signals.connect()
