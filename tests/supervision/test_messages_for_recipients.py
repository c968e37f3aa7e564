"""Each notification is written for its recipient: the enterprise learns its level and certificate number, the
agency is told about the enterprise it assessed (never "您的定级结果已被撤销")."""

import pytest
from django.core import mail

from accounts.models import Notification
from assessments.lifecycle import transition
from supervision.models import Grade
from tests.supervision import helpers

pytestmark = pytest.mark.django_db


def bodies(user) -> str:
    return "\n".join(Notification.objects.filter(user=user).values_list("body", flat=True))


def test_approval_and_revocation_speak_to_each_recipient(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = helpers.approved(
            personas.enterprise, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau
        )
    grade = Grade.objects.get(application=app)
    owner = bodies(personas.owner)
    assert f"{grade.level}级" in owner and grade.certificate_number in owner
    assert any(grade.certificate_number in m.body for m in mail.outbox if personas.owner.email in m.to)
    agency = bodies(personas.agency_admin)
    assert personas.enterprise.name in agency and grade.certificate_number in agency
    with django_capture_on_commit_callbacks(execute=True):
        transition(
            app, "revoke", by=personas.bureau, reason="提供虚假材料", basis="false_material", basis_text="x"
        )
    agency = bodies(personas.agency_admin)
    assert "您的定级结果" not in agency and "贵机构评测的" in agency and "撤销" in agency
    assert "贵企业的认定结果" in bodies(personas.owner)
