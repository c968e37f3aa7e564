from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app builds on: the audit trail, the task outbox and background jobs, private file serving,
    the client address of a request, the domain error type. Imports no other app of the project."""

    name = "core"
    verbose_name = "基础设施"

    def ready(self):
        from .inputs import apply_to_form_fields

        apply_to_form_fields()  # the input policy on every text field of every form
