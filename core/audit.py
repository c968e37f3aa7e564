"""The one way to write the audit trail.

    from core.audit import record

    record(actor=request.user, action="report.downloaded", obj=report, application=report.application,
           summary="…", detail={"sha256": report.content_sha256})

- `action`: a stable code "<area>.<verb>" (never a sentence);
- `obj`: the thing acted on (its label and pk are stored); an `Application` ties the event to its case by
  itself, otherwise pass `application=` for the case's trail;
- `detail`: the facts, language-neutral (codes, ids, numbers), and what a person typed (a reason, a finding)
  exactly as typed;
- `actor`: the user (anonymous or None: no actor); the client address comes from core.middleware.

Next (issue 9 point 2, core's next landing): `summary` goes — the sentence is rendered when the trail is read,
in the reader's language, from the action code and `detail`; write new calls with the facts in `detail` and
a short `summary` until then.
"""

from .middleware import current_client_address
from .models import AuditEvent


def record(*, actor, action: str, obj=None, application=None, summary: str = "", detail=None) -> AuditEvent:
    """Append one event. `obj` is the thing acted on; `application` ties the event to a case's trail."""
    if application is None and obj is not None and obj._meta.label_lower == "assessments.application":
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
