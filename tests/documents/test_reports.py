"""Reports in the embedded default (tasks run in process through the same outbox path): content, PDFs read
back, one report per content, old reports kept, who may download what."""

import hashlib
import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import ApplicationVersion
from core.models import AuditEvent, BackgroundJob, JobState, OutboxMessage
from documents.models import Report
from documents.selectors import reports_for
from documents.services import request_report
from tests.documents.cases import add_proposal, approve, make_case

pytestmark = pytest.mark.django_db


def pdf_text(report) -> str:
    with report.file.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
        text = "\n".join(page.extract_text() for page in reader.pages)
    return "".join(text.split())  # table cells wrap and headings are letter-spaced: compare without spaces


def pdf_fonts(report) -> set[str]:
    with report.file.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def case(personas):
    return make_case(personas.enterprise, by=personas.owner, agency=personas.agency)


@pytest.fixture
def proposed(case, personas):
    add_proposal(case, admin=personas.agency_admin, experts=[personas.expert, personas.expert2])
    return case


def generate(user, case, kind, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(reverse("documents:generate", args=[case.pk]), {"kind": kind})
    return response


def test_self_assessment_report_reads_back_in_chinese(
    case, personas, client_for, django_capture_on_commit_callbacks
):
    response = generate(personas.owner, case, "self", client_for, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert job.state == JobState.DONE and job.percent == 100 and job.attempts == 1
    report = job.report
    assert report.kind == "self" and report.pages >= 2
    assert OutboxMessage.objects.get(kwargs__job_id=job.pk).sent_at is not None
    text = pdf_text(report)
    for expected in [
        personas.enterprise.name,
        personas.enterprise.credit_code,
        "数字化水平自评报告",
        "三级（集成级）",
        "自评结论",
        "距离上一等级还差什么",
        "四级（协同级）",
        "各维度得分",
        "数字化基础",
        "网络建设",
        "应用场景等级",
        "产品设计",
        f"共{report.pages}页",
    ]:
        assert expected in text, expected
    fonts = pdf_fonts(report)
    assert any("Noto-Sans-CJK-SC" in f and "Bold" not in f for f in fonts), fonts
    assert any("Noto-Sans-CJK-SC" in f and "Bold" in f for f in fonts), fonts  # real bold, not synthesised
    assert fonts == {f for f in fonts if "Noto-Sans-CJK-SC" in f}, fonts  # no fallback fonts (header, chart)
    assert AuditEvent.objects.filter(action="report.generated", application=case).count() == 1


def test_same_content_makes_no_second_report_and_a_change_makes_a_new_one_keeping_the_old(
    case, personas, client_for, django_capture_on_commit_callbacks
):
    generate(personas.owner, case, "self", client_for, django_capture_on_commit_callbacks)
    generate(personas.owner, case, "self", client_for, django_capture_on_commit_callbacks)
    assert Report.objects.filter(application=case, kind="self").count() == 1
    assert BackgroundJob.objects.filter(state="done").count() == 2
    first = Report.objects.get()
    # A resubmission (version 2, another result) changes what the report shows.
    v1 = case.versions.get()
    result = dict(v1.result, score="61.00", level=3)
    ApplicationVersion.objects.create(
        application=case,
        number=2,
        edition=v1.edition,
        answers=v1.answers,
        scenarios=v1.scenarios,
        data={},
        result=result,
        evidence=[],
        profile=v1.profile,
        pledge_at=v1.pledge_at,
        submitted_at=v1.submitted_at,
        submitted_by=personas.owner,
    )
    generate(personas.owner, case, "self", client_for, django_capture_on_commit_callbacks)
    reports = list(reports_for(personas.owner, case))
    assert len(reports) == 2 and reports[1] == first and first.file.storage.exists(first.file.name)
    assert "61.00" in pdf_text(reports[0])
    page = client_for(personas.owner).get(reverse("documents:case_reports", args=[case.pk])).content.decode()
    assert page.count(reverse("documents:download", args=[first.pk])) == 1
    assert timezone.localtime(first.created_at).strftime("%Y-%m-%d %H:%M") in page


def test_review_report_shows_self_and_verified_side_by_side(
    proposed, personas, client_for, django_capture_on_commit_callbacks
):
    generate(personas.agency_admin, proposed, "review", client_for, django_capture_on_commit_callbacks)
    report = Report.objects.get(kind="review")
    text = pdf_text(report)
    for expected in [
        "数字化水平评测报告",
        "评测结论",
        "自评等级",
        "建议等级",
        "综合评测意见",
        "企业数字化基础较好",
        "评测指标自评与核定对照",
        "现场查验未见相应系统",
        "应用场景自评与核定对照",
        "评测专家",
        "陈专家",
        "刘专家",
        personas.agency.name,
        "MES系统仅覆盖一条产线",
        "S06",
        "信息化部门人员",
        "张工信息部经理",
        "系统上线两年",
        "自评与核定",
    ]:
        assert expected in text, expected


def test_certificate_has_its_number_and_the_verification_address(
    proposed, personas, client_for, django_capture_on_commit_callbacks, settings
):
    grade = approve(proposed, by=personas.bureau)
    generate(personas.bureau, proposed, "certificate", client_for, django_capture_on_commit_callbacks)
    report = Report.objects.get(kind="certificate")
    text = pdf_text(report)
    assert "数字化水平等级证书" in text and grade.certificate_number in text
    assert f"{settings.SITE_URL}/verify/{grade.certificate_number}/" in text
    with report.file.open("rb") as fh:
        assert b"/Subtype /Image" in fh.read()  # the QR code
    assert any("Noto-Serif-CJK-SC-Bold" in f for f in pdf_fonts(report))


def test_a_report_the_case_does_not_hold_yet_fails_with_a_reason(
    case, personas, client_for, django_capture_on_commit_callbacks
):
    generate(personas.bureau, case, "review", client_for, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    assert job.state == JobState.FAILED and "尚未提交评测建议" in job.message
    assert not Report.objects.exists()


def test_job_status_is_polled_every_two_seconds_until_it_is_finished(case, personas, client_for):
    job = request_report(application=case, kind="self", by=personas.owner)  # not committed: still queued
    client = client_for(personas.owner)
    html = client.get(reverse("documents:job_status", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in html and "排队中" in html
    BackgroundJob.objects.filter(pk=job.pk).update(state="running", percent=40)
    html = client.get(reverse("documents:job_status", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" in html and "40%" in html
    BackgroundJob.objects.filter(pk=job.pk).update(state="failed", message="处理失败")
    response = client.get(reverse("documents:job_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "every 2s" not in response.content.decode() and response["HX-Trigger"] == "reports-changed"
    assert (
        client_for(personas.outsider).get(reverse("documents:job_status", args=[job.pk])).status_code == 404
    )


def _report(case, kind, personas):
    from django.core.files.base import ContentFile

    r = Report(
        application=case,
        kind=kind,
        content_sha256=hashlib.sha256(kind.encode()).hexdigest(),
        file_sha256="0" * 64,
        title=kind,
    )
    r.file.save("x.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return r


# (who, kind, expected) before the bureau approves the case, then after.
BEFORE_APPROVAL = [
    ("owner", "self", 200),
    ("owner", "certificate", 403),  # no grade yet
    ("owner", "review", 403),
    ("owner", "dossier", 404),
    ("outsider", "self", 404),
    ("outsider", "review", 404),
    ("agency_admin", "review", 200),
    ("agency_admin", "self", 403),
    ("agency_admin", "dossier", 404),
    ("expert", "review", 200),
    ("expert", "self", 403),
    ("expert", "certificate", 403),
    ("other_agency_admin", "review", 404),
    ("other_expert", "review", 404),
    ("bureau", "self", 200),
    ("bureau", "review", 200),
    ("bureau", "certificate", 200),
    ("bureau", "dossier", 200),
]
AFTER_APPROVAL = [
    ("owner", "certificate", 200),
    ("owner", "review", 200),
    ("colleague", "review", 200),
    ("outsider", "review", 404),
    ("owner", "dossier", 404),
]


def test_who_may_download_what(proposed, personas, client_for):
    reports = {
        kind: _report(proposed, kind, personas) for kind in ("self", "review", "certificate", "dossier")
    }

    def check(table):
        for who, kind, expected in table:
            report = reports[kind]
            before = AuditEvent.objects.filter(action="report.downloaded", object_id=str(report.pk)).count()
            response = client_for(getattr(personas, who)).get(reverse("documents:download", args=[report.pk]))
            assert response.status_code == expected, (who, kind)
            after = AuditEvent.objects.filter(action="report.downloaded", object_id=str(report.pk)).count()
            assert after - before == (1 if expected == 200 else 0), (who, kind)
            if expected == 200:
                assert b"".join(response.streaming_content).startswith(b"%PDF")

    check(BEFORE_APPROVAL)
    approve(proposed, by=personas.bureau)
    check(AFTER_APPROVAL)
    from supervision.models import Grade

    Grade.objects.filter(application=proposed).update(revoked_at=timezone.now(), revoked_reason="抽验不符")
    check([("owner", "certificate", 403), ("bureau", "certificate", 200), ("owner", "self", 200)])


def test_an_expert_who_has_not_declared_no_conflict_gets_403(proposed, personas, client_for):
    from experts.models import TeamMember

    TeamMember.objects.filter(expert=personas.expert2).update(declared_at=None)
    report = _report(proposed, "review", personas)
    assert (
        client_for(personas.expert2).get(reverse("documents:download", args=[report.pk])).status_code == 403
    )
    assert client_for(None).get(reverse("documents:download", args=[report.pk])).status_code == 302


def test_generate_checks_who_asks(case, personas, client_for):
    url = reverse("documents:generate", args=[case.pk])
    queued = OutboxMessage.objects.count()
    assert client_for(personas.outsider).post(url, {"kind": "self"}).status_code == 404
    assert client_for(personas.owner).post(url, {"kind": "dossier"}).status_code == 404
    assert client_for(personas.owner).post(url, {"kind": "review"}).status_code == 403
    assert client_for(personas.agency_admin).post(url, {"kind": "self"}).status_code == 403
    assert not BackgroundJob.objects.exists() and OutboxMessage.objects.count() == queued


def test_case_dossier_holds_everything_with_checked_hashes(
    proposed, personas, client_for, django_capture_on_commit_callbacks
):
    import hashlib

    approve(proposed, by=personas.bureau)
    generate(personas.bureau, proposed, "self", client_for, django_capture_on_commit_callbacks)
    generate(personas.bureau, proposed, "dossier", client_for, django_capture_on_commit_callbacks)
    dossier = Report.objects.get(kind="dossier")
    response = client_for(personas.bureau).get(reverse("documents:download", args=[dossier.pk]))
    assert response["Content-Type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(z.namelist())
    assert {
        "summary.txt",
        "application/versions.json",
        "evidence/manifest.csv",
        "reports/manifest.csv",
        "review/findings.json",
        "review/proposals.json",
        "decisions.csv",
        "audit/audit.json",
        "audit/audit.csv",
    } <= names
    evidence = proposed.assessment.evidence.get()
    data = z.read(f"evidence/{evidence.pk}-{evidence.original_name}")
    assert hashlib.sha256(data).hexdigest() == evidence.sha256
    assert evidence.sha256 in z.read("evidence/manifest.csv").decode()
    assert any(n.startswith("reports/") and n.endswith(".pdf") for n in names)
    assert personas.enterprise.name in z.read("summary.txt").decode()
    # The CSVs are read by people (in a spreadsheet): actions, objects, targets and kinds by their names, never
    # a code; the JSON beside them keeps the codes for machines.
    audit_csv = z.read("audit/audit.csv").decode("utf-8-sig")
    decisions = z.read("decisions.csv").decode("utf-8-sig")
    manifests = z.read("evidence/manifest.csv").decode("utf-8-sig") + z.read("reports/manifest.csv").decode()
    assert "生成报告" in audit_csv and "报告 #" in audit_csv
    assert "审定并公布" in decisions and decisions.startswith("时间,事项,操作人")
    assert f"{evidence.target.removeprefix('Q')}. " in manifests and "自评报告" in manifests
    for text in (audit_csv, decisions, manifests):
        assert not re.search(r"\b[a-z]+(?:[._][a-z]+)+\b(?!\.pdf)", text.replace(".pdf", "")), text
        assert not re.search(r"\bQ\d+\b", text), text
    assert "report.generated" in z.read("audit/audit.json").decode()
    # Built again with nothing changed but its own audit lines: the same dossier, not a second one.
    generate(personas.bureau, proposed, "dossier", client_for, django_capture_on_commit_callbacks)
    assert Report.objects.filter(kind="dossier").count() == 1


def test_a_tampered_evidence_file_fails_the_dossier(
    case, personas, client_for, django_capture_on_commit_callbacks
):
    evidence = case.assessment.evidence.get()
    with evidence.file.open("wb") as fh:
        fh.write(b"changed after upload")
    generate(personas.bureau, case, "dossier", client_for, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    assert job.state == JobState.FAILED and "校验值不一致" in job.message
    assert not Report.objects.exists()


def test_enterprise_reports_partial_lists_only_what_the_user_may_have(proposed, personas, rf):
    from django.template import Context, Template

    _report(proposed, "self", personas)
    _report(proposed, "review", personas)
    _report(proposed, "dossier", personas)
    request = rf.get("/")
    request.user = personas.owner
    html = Template("{% load documents %}{% case_reports application %}").render(
        Context({"request": request, "application": proposed})
    )
    assert "报告下载" in html and "自评报告" in html and "生成报告" in html
    assert "dossier" not in html and ">review<" not in html
    assert [r.kind for r in reports_for(personas.owner, proposed)] == ["self"]
    assert {r.kind for r in reports_for(personas.bureau, proposed)} == {"self", "review", "dossier"}


def test_reports_follow_the_case_submitted_proposed_approved(personas, django_capture_on_commit_callbacks):
    """A frozen version, a proposal, a published grade each queue their report (outbox, after the commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(personas.enterprise, by=personas.owner, agency=personas.agency)
    assert list(Report.objects.values_list("kind", flat=True)) == ["self"]
    with django_capture_on_commit_callbacks(execute=True):
        add_proposal(case, admin=personas.agency_admin, experts=[personas.expert])
    with django_capture_on_commit_callbacks(execute=True):
        grade = approve(case, by=personas.bureau)
    assert set(Report.objects.values_list("kind", flat=True)) == {"self", "review", "certificate"}
    assert grade.certificate_number in pdf_text(Report.objects.get(kind="certificate"))
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_the_application_page_has_the_reports_section_for_every_role_of_the_case(
    proposed, personas, client_for
):
    url = reverse("assessments:application", args=[proposed.pk])
    for who, kinds in [
        ("owner", ["self"]),
        ("agency_admin", ["review"]),
        ("expert", ["review"]),
        ("bureau", ["self", "review", "dossier"]),
    ]:
        html = client_for(getattr(personas, who)).get(url).content.decode()
        assert "报告下载" in html and "生成报告" in html, who
        for kind in kinds:
            assert f'data-kind="{kind}"' in html, (who, kind)
    html = client_for(personas.agency_admin).get(url).content.decode()
    assert 'data-kind="self"' not in html and 'data-kind="dossier"' not in html


def test_a_draft_self_report_has_no_number_yet_and_says_so(
    personas, client_for, django_capture_on_commit_callbacks
):
    """A draft has no 申请编号 until it is submitted (issue 11): its self report and file name say 申请草稿."""
    from assessments import services as assessment_services
    from tests.assessments.conftest import fill

    fill(personas, 3)
    draft = assessment_services.start_application(enterprise=personas.enterprise, by=personas.owner)
    assert draft.number is None
    generate(personas.owner, draft, "self", client_for, django_capture_on_commit_callbacks)
    report = Report.objects.get(application=draft)
    assert "None" not in report.download_name and report.download_name.startswith("申请草稿")
    text = pdf_text(report)
    assert "None" not in text and "申请草稿" in text
