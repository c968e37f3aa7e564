"""A draft has no 申请编号 until it is submitted (issue 11): where the bureau reads a draft's events it sees the
neutral label, never "None"."""

import pytest

from assessments import demo, services
from core.models import AuditEvent
from supervision import exports, selectors

pytestmark = pytest.mark.django_db


def test_the_audit_export_names_a_draft_by_its_label(personas):
    demo.ensure_roster(personas.enterprise)
    draft = services.start_application(enterprise=personas.enterprise, by=personas.owner)
    assert draft.number is None and AuditEvent.objects.filter(application=draft).exists()
    sheet = exports.audit(selectors.audit_events())
    cells = [str(c) for row in sheet.rows for c in row]
    assert "None" not in cells and "申请草稿（提交后编号）" in cells
