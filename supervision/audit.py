"""The one way to write the audit trail."""

from accounts.middleware import current_client_address

from .models import AuditEvent


def record(*, actor, action: str, obj=None, application=None, summary: str = "", detail=None) -> AuditEvent:
    """Append one event. `obj` is the thing acted on; `application` ties the event to a case's trail."""
    if application is None and obj is not None and obj.__class__.__name__ == "Application":
        application = obj
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        application=application,
        summary=summary[:300],
        detail=detail or {},
        client_address=current_client_address.get(),
    )
