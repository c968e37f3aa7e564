"""Paper materials configured by the bureau (issue 11): the list, the address and the deadline it sets are what
the enterprise sees after submitting, instead of a bare 待提交纸质材料."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import demo
from assessments.models import PaperInstructions
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_bureau_sets_the_paper_materials_and_the_enterprise_sees_them(personas, client_for):
    bureau = client_for(personas.bureau)
    url = reverse("supervision:paper_instructions")
    assert "申请表" in bureau.get(url).content.decode()  # the default list until the bureau sets its own
    r = bureau.post(
        url,
        {
            "items": "申请表（加盖公章）\n营业执照复印件\n",
            "address": "顺义区府前中街5号经信局302室",
            "deadline_days": "7",
            "contact": "010-69440000",
        },
    )
    assert r.status_code == 302
    event = AuditEvent.objects.get(action="paper.configure")
    assert event.detail["address"] == "顺义区府前中街5号经信局302室"

    app = demo.make_submitted_application(personas.enterprise, level=3, by=personas.owner)
    due = timezone.localdate(app.submitted_at) + datetime.timedelta(days=7)
    owner = client_for(personas.owner)
    home = owner.get(reverse("assessments:home")).content.decode()
    assert "申请表（加盖公章）" in home and "顺义区府前中街5号经信局302室" in home
    assert due.strftime("%Y-%m-%d") in home
    page = owner.get(reverse("assessments:application", args=[app.pk])).content.decode()
    assert 'data-testid="paper-instructions"' in page and "营业执照复印件" in page
    assert "010-69440000" in page and due.strftime("%Y-%m-%d") in page


def test_a_refused_setting_leaves_no_trace_and_only_the_bureau_reaches_the_page(personas, client_for):
    url = reverse("supervision:paper_instructions")
    r = client_for(personas.bureau).post(url, {"items": "申请表", "address": " ", "deadline_days": "7"})
    assert r.status_code == 400
    assert not PaperInstructions.objects.exists()
    assert not AuditEvent.objects.filter(action="paper.configure").exists()
    for user in (personas.owner, personas.agency_admin, personas.expert):
        assert client_for(user).get(url).status_code == 404


def test_the_enterprise_prints_a_cover_sheet_with_its_number_and_a_qr_code(personas, client_for):
    app = demo.make_submitted_application(personas.enterprise, level=3, by=personas.owner)
    owner = client_for(personas.owner)
    page = owner.get(reverse("assessments:application", args=[app.pk])).content.decode()
    sheet_url = reverse("assessments:application_paper_sheet", args=[app.pk])
    assert sheet_url in page
    sheet = owner.get(sheet_url).content.decode()
    assert app.number in sheet and "<svg" in sheet and "申请表" in sheet
    assert client_for(personas.outsider).get(sheet_url).status_code == 404
