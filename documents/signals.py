"""Reports follow the case: when what a report shows is frozen anew (a submitted version, a proposal, a
published grade), its rendering is queued in the same transaction (outbox). The content hash decides: same
content, no new report; new content, a new report beside the old one."""

from django.db.models.signals import post_save

from assessments.models import ApplicationVersion
from core.queue import enqueue
from experts.models import Proposal
from supervision.models import Grade

from .models import ReportKind
from .tasks import render_report


def _queue(application_id: int, kind: str) -> None:
    enqueue(render_report, application_id=application_id, kind=kind)


def on_version(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _queue(instance.application_id, ReportKind.SELF)


def on_proposal(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _queue(instance.application_id, ReportKind.REVIEW)


def on_grade(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _queue(instance.application_id, ReportKind.CERTIFICATE)


def connect() -> None:
    post_save.connect(on_version, sender=ApplicationVersion, dispatch_uid="documents.version")
    post_save.connect(on_proposal, sender=Proposal, dispatch_uid="documents.proposal")
    post_save.connect(on_grade, sender=Grade, dispatch_uid="documents.grade")
