"""Evidence files: type by extension AND content, size limit, SHA-256, access checks, audited downloads,
removal that only hides files belonging to a submitted version."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from assessments.models import Evidence
from core.models import AuditEvent
from experts.models import ConflictKind, Team, TeamMember

from .conftest import docx, pdf, png

UPLOAD = "/enterprise/evidence/upload/"


def upload(client, target, f):
    return client.post(UPLOAD, {"target": target, "file": f}, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("maker", [pdf, png, docx])
def test_accepted_types_are_stored_with_sha256(personas, client_for, working, maker):
    f = maker()
    content = f.read()
    f.seek(0)
    r = upload(client_for(personas.owner), "S05.2", f)
    assert r.status_code == 200 and 'data-testid="evidence-error"' not in r.content.decode()
    ev = Evidence.objects.get(assessment=working)
    assert (
        ev.target == "S05.2" and ev.sha256 == hashlib.sha256(content).hexdigest() and ev.size == len(content)
    )
    assert ev.original_name == f.name and ev.original_name not in ev.file.name
    assert AuditEvent.objects.filter(action="evidence.upload", object_id=str(ev.pk)).exists()


@pytest.mark.parametrize(
    ("f", "message"),
    [
        (SimpleUploadedFile("病毒.exe", b"MZ\x90\x00"), "不支持的文件类型"),
        (SimpleUploadedFile("假.pdf", b"MZ\x90\x00 not a pdf"), "文件内容与扩展名"),
        (SimpleUploadedFile("假.png", b"%PDF-1.4 a pdf"), "文件内容与扩展名"),
        (docx("表格.xlsx", part="word/document.xml"), "文件内容与扩展名"),
        (SimpleUploadedFile("空.pdf", b""), "文件"),
    ],
)
def test_bad_files_are_refused_with_a_chinese_message(personas, client_for, working, f, message):
    r = upload(client_for(personas.owner), "Q2", f)
    assert message in r.content.decode()
    assert not Evidence.objects.exists()


def test_size_limit(personas, client_for, working, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    r = upload(client_for(personas.owner), "Q2", pdf(size=200))
    assert "文件过大" in r.content.decode()
    assert not Evidence.objects.exists()


def test_unknown_target_refused(personas, client_for, working):
    r = upload(client_for(personas.owner), "S05.9", pdf())
    assert "请选择佐证材料对应的指标或场景等级" in r.content.decode()
    assert not Evidence.objects.exists()


def _file(personas, working, name="台账.pdf"):
    return services.upload_evidence(
        assessment=working, target="Q2", upload=pdf(name), content_type="application/pdf", by=personas.owner
    )


def test_download_checks_who_asks_and_is_audited(personas, client_for, working):
    ev = _file(personas, working)
    url = f"/enterprise/evidence/{ev.pk}/"
    for user in (personas.owner, personas.colleague, personas.bureau):
        r = client_for(user).get(url)
        assert r.status_code == 200, user
        assert b"".join(r.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="evidence.download", object_id=str(ev.pk)).count() == 3
    for user in (personas.outsider, personas.agency_admin, personas.expert, personas.other_expert):
        assert client_for(user).get(url).status_code == 404, user
    assert client_for(None).get(url).status_code == 302


def can_view_evidence(user, evidence) -> bool:
    return user.has_perm("assessments.view_evidence", evidence)


def test_cleared_experts_may_see_but_not_the_agency_admin_who_declares_nothing(personas, submitted):
    ev = submitted.assessment.evidence.first()
    assert not can_view_evidence(personas.agency_admin, ev)
    submitted.agency = personas.agency
    submitted.save(update_fields=["agency"])
    ev = Evidence.objects.get(pk=ev.pk)
    assert not can_view_evidence(personas.agency_admin, ev)  # commissioned, but bound by no declaration
    assert not can_view_evidence(personas.other_agency_admin, ev)
    team = Team.objects.create(
        application=submitted, agency=personas.agency, created_by=personas.agency_admin
    )
    member = TeamMember.objects.create(team=team, expert=personas.expert)
    assert not can_view_evidence(personas.expert, ev)  # no declaration yet
    member.declared_at, member.conflict = submitted.submitted_at, ConflictKind.EMPLOYMENT
    member.save()
    assert not can_view_evidence(personas.expert, ev)  # declared a conflict
    member.conflict = ConflictKind.NONE
    member.save()
    assert can_view_evidence(personas.expert, ev)
    assert not can_view_evidence(personas.expert2, ev)


def test_removing_an_unsubmitted_file_deletes_it(
    personas, client_for, working, django_capture_on_commit_callbacks
):
    ev = _file(personas, working)
    storage, name = ev.file.storage, ev.file.name
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(personas.owner).post(f"/enterprise/evidence/{ev.pk}/remove/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert not Evidence.objects.filter(pk=ev.pk).exists()
    assert not storage.exists(name)
    assert AuditEvent.objects.filter(action="evidence.remove").exists()


def test_removing_a_submitted_file_only_hides_it(personas, client_for, returned):
    ev = returned.assessment.evidence.get()
    r = client_for(personas.owner).post(f"/enterprise/evidence/{ev.pk}/remove/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    ev.refresh_from_db()
    assert ev.removed_at is not None and ev.file.storage.exists(ev.file.name)
    # still downloadable by whoever may see version 1
    assert client_for(personas.bureau).get(f"/enterprise/evidence/{ev.pk}/").status_code == 200
    assert (
        ev.original_name
        not in client_for(personas.owner).get("/enterprise/self-assessment/").content.decode()
    )


def test_other_enterprise_cannot_remove(personas, client_for, working):
    ev = _file(personas, working)
    assert client_for(personas.outsider).post(f"/enterprise/evidence/{ev.pk}/remove/").status_code == 404
    assert Evidence.objects.filter(pk=ev.pk).exists()


def test_the_count_beside_the_evidence_updates_after_an_upload(personas, client_for, working):
    c = client_for(personas.owner)
    assert (
        'id="evc-Q2" data-testid="evidence-count">0<'
        in c.get("/enterprise/self-assessment/").content.decode()
    )
    body = upload(c, "Q2", pdf()).content.decode()
    assert 'id="evc-Q2" hx-swap-oob="true" data-testid="evidence-count">1<' in body
