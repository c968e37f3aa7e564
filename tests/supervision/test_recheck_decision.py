"""The bureau's follow-up on a re-check (issue 11): confirm, change the grade (the old certificate superseded, a
new one issued, the verify page shows the history), or revoke; each recipient told in its own words."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from api.services import create_token
from assessments.models import ApplicationState
from core.models import AuditEvent
from documents.reports import certificate_content
from supervision import services
from supervision.models import Grade, RecheckOutcome
from tests import factories
from tests.supervision import helpers


@pytest.fixture
def rechecked(personas):
    """A level-3 grade by the agency, sampled and re-checked by the other agency: 等级变更 3→2."""
    app = helpers.approved(
        personas.enterprise,
        agency=personas.agency,
        admin=personas.agency_admin,
        bureau=personas.bureau,
        level=3,
    )
    factories.enterprise("抽样旁观企业")
    sample = services.draw_sample(by=personas.bureau, population_filter={}, size=1, seed=7)
    recheck = sample.rechecks.get()
    services.assign_recheck_agency(recheck=recheck, agency=personas.other_agency, by=personas.bureau)
    return app, recheck


def _outcome(recheck, personas, outcome=RecheckOutcome.CHANGED, new_level=2):
    return services.record_recheck_outcome(
        recheck=recheck, by=personas.other_expert, outcome=outcome, new_level=new_level, notes="场景证据不足"
    )


@pytest.mark.django_db
def test_a_changed_grade_supersedes_the_certificate_and_the_verify_page_shows_the_history(
    personas, rechecked, client_for
):
    app, recheck = rechecked
    _outcome(recheck, personas)
    old = app.grade
    bureau = client_for(personas.bureau)
    url = reverse("supervision:recheck_decide", args=[recheck.pk])
    page = bureau.get(url).content.decode()
    assert "等级变更" in page and "场景证据不足" in page
    # First the confirmation with what will happen; nothing changes yet.
    ask = bureau.post(url, {"decision": "change", "reason": "复核认定为2级"})
    assert ask.status_code == 200 and old.certificate_number in ask.content.decode()
    assert "签发新证书" in ask.content.decode()
    assert Grade.objects.count() == 1
    done = bureau.post(url, {"decision": "change", "reason": "复核认定为2级", "confirmed": "1"})
    assert done.status_code == 302
    old.refresh_from_db()
    app.refresh_from_db()
    new = app.grade
    assert new.pk != old.pk and new.level == 2 and new.certificate_number != old.certificate_number
    assert new.supersedes == old and new.holder_name == old.holder_name and new.score == old.score
    assert old.application is None and old.revoked_at is not None and not old.is_valid
    assert Grade.objects.filter(enterprise=personas.enterprise, revoked_at__isnull=True).get() == new

    anyone = client_for(None)
    old_page = anyone.get(reverse("verify:number", args=[old.certificate_number])).content.decode()
    assert "已被替换" in old_page and new.certificate_number in old_page
    new_page = anyone.get(reverse("verify:number", args=[new.certificate_number])).content.decode()
    assert "有效" in new_page and 'data-testid="verify-history"' in new_page
    assert old.certificate_number in new_page and "2级" in new_page and "3级" in new_page

    case = bureau.get(reverse("supervision:application", args=[app.pk])).content.decode()
    assert 'data-testid="case-rechecks"' in case and "变更等级并换发证书" in case
    assert new.certificate_number in case
    sample_page = bureau.get(reverse("supervision:sample", args=[recheck.sample_id])).content.decode()
    assert 'data-testid="recheck-decision"' in sample_page
    # The re-checking agency still opens its re-check of the superseded grade; the sample export still runs.
    detail = client_for(personas.other_agency_admin).get(reverse("recheck:detail", args=[recheck.pk]))
    assert detail.status_code == 200 and old.certificate_number in detail.content.decode()
    grades = bureau.get(reverse("supervision:grades")).content.decode()
    assert "已被替换" in grades and new.certificate_number in grades
    api = anyone.get(
        "/api/grades", headers={"authorization": f"Bearer {create_token(name='局系统', scope='bureau')[1]}"}
    )
    numbers = {g["certificate_number"]: g["application_number"] for g in api.json()["results"]}
    assert numbers[old.certificate_number] == numbers[new.certificate_number] == app.number
    book = helpers.export_book(bureau, "sample", {"sample": recheck.sample_id})
    assert personas.agency.name in [c.value for row in book.active.iter_rows() for c in row]

    to_owner = Notification.objects.filter(user=personas.owner, title__contains="抽验复核处理决定").get()
    assert "贵企业" in to_owner.body and new.certificate_number in to_owner.body and "2级" in to_owner.body
    to_agency = Notification.objects.filter(
        user=personas.agency_admin, title__contains="抽验复核处理决定"
    ).get()
    assert "贵机构评测的" in to_agency.body and "贵企业" not in to_agency.body
    event = AuditEvent.objects.get(action="recheck.decide")
    assert event.detail["new_certificate"] == new.certificate_number
    # The new certificate's content: the new number and level, the holder as approved.
    content = certificate_content(app)
    assert content["certificate_number"] == new.certificate_number and content["level"] == 2
    assert content["enterprise"] == old.holder_name


@pytest.mark.django_db
def test_confirming_keeps_the_grade_and_tells_both(personas, rechecked, client_for):
    app, recheck = rechecked
    _outcome(recheck, personas, outcome=RecheckOutcome.CONFIRMED, new_level=None)
    grade = app.grade
    services.decide_recheck(recheck=recheck, by=personas.bureau, decision="confirm", reason="结论一致")
    grade.refresh_from_db()
    assert grade.is_valid and Grade.objects.count() == 1
    to_agency = Notification.objects.get(user=personas.agency_admin, title__contains="抽验复核处理决定")
    assert "维持3级" in to_agency.body


@pytest.mark.django_db
def test_revoking_goes_through_the_revocation_path(personas, rechecked):
    app, recheck = rechecked
    _outcome(recheck, personas, outcome=RecheckOutcome.REVOKE, new_level=None)
    with pytest.raises(services.ServiceError, match="撤销依据"):
        services.decide_recheck(recheck=recheck, by=personas.bureau, decision="revoke", reason="材料不实")
    recheck.refresh_from_db()
    assert recheck.decision == "" and app.grade.is_valid  # refused: no trace
    services.decide_recheck(
        recheck=recheck,
        by=personas.bureau,
        decision="revoke",
        reason="材料不实",
        basis="false_material",
        basis_text="现场未见设备",
    )
    app.refresh_from_db()
    assert app.state == ApplicationState.REVOKED and app.grade.revoked_at is not None
    assert AuditEvent.objects.get(action="recheck.decide").detail["recheck_decision"] == "revoke"


@pytest.mark.django_db
def test_refused_decisions_leave_no_trace(personas, rechecked, client_for):
    app, recheck = rechecked
    with pytest.raises(services.ServiceError, match="尚无结论"):
        services.decide_recheck(recheck=recheck, by=personas.bureau, decision="confirm", reason="x")
    _outcome(recheck, personas, outcome=RecheckOutcome.CONFIRMED, new_level=None)
    with pytest.raises(services.ServiceError, match="新的等级"):
        services.decide_recheck(recheck=recheck, by=personas.bureau, decision="change", reason="x")
    assert Grade.objects.count() == 1 and not AuditEvent.objects.filter(action="recheck.decide").exists()
    url = reverse("supervision:recheck_decide", args=[recheck.pk])
    assert client_for(personas.agency_admin).get(url).status_code in (403, 404)
    assert client_for(personas.bureau).post(url, {"decision": "confirm"}).status_code == 400
    services.decide_recheck(recheck=recheck, by=personas.bureau, decision="confirm", reason="一致")
    with pytest.raises(services.ServiceError, match="已作出处理决定"):
        services.decide_recheck(recheck=recheck, by=personas.bureau, decision="confirm", reason="一致")


def _enterprise_notice(client_for, personas, app) -> str:
    """The 抽验复核 part of the enterprise's own application page, as text."""
    import re

    page = client_for(personas.owner).get(reverse("assessments:application", args=[app.pk]))
    assert page.status_code == 200
    found = re.search(r'<section[^>]*data-testid="case-recheck".*?</section>', page.content.decode(), re.S)
    assert found, "the application page does not mention the re-check"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0)))


@pytest.mark.django_db
def test_the_enterprise_application_page_follows_the_recheck_in_its_own_words(
    personas, rechecked, client_for
):
    """Sampled → being re-checked (by whom) → waiting for the bureau → the bureau's decision: changed to 2级
    with the new certificate, the old one superseded. The re-checkers' recommendation is not the enterprise's
    to read before the bureau decides."""
    app, recheck = rechecked
    old = app.grade
    text = _enterprise_notice(client_for, personas, app)
    assert "贵企业的认定结果（3级，证书编号 " + old.certificate_number + "）已被抽中复核" in text
    assert "复核中" in text and personas.other_agency.name in text
    _outcome(recheck, personas)
    text = _enterprise_notice(client_for, personas, app)
    assert "复核已完成，等待区经信局作出处理决定" in text
    assert "场景证据不足" not in text and "等级变更" not in text
    services.decide_recheck(recheck=recheck, by=personas.bureau, decision="change", reason="复核认定为2级")
    app.refresh_from_db()
    text = _enterprise_notice(client_for, personas, app)
    assert "区经信局决定：等级变更为2级，换发新证书 " + app.grade.certificate_number in text
    assert "原证书 " + old.certificate_number + " 已被替换，不再有效" in text
    assert "理由：复核认定为2级" in text
    assert "recheck" not in text and "change" not in text
    from tests.test_english import english

    page = english(client_for(personas.owner)).get(reverse("assessments:application", args=[app.pk]))
    assert "The district bureau decided to change the grade to level 2" in page.content.decode()
    assert "区经信局决定" not in page.content.decode()
    # The enterprise's words are not the bureau's page: another enterprise's staff never reach it.
    other = client_for(personas.outsider).get(reverse("assessments:application", args=[app.pk]))
    assert other.status_code == 404


@pytest.mark.django_db
def test_the_enterprise_page_says_when_the_grade_was_kept(personas, rechecked, client_for):
    app, recheck = rechecked
    _outcome(recheck, personas, outcome=RecheckOutcome.CONFIRMED, new_level=None)
    services.decide_recheck(recheck=recheck, by=personas.bureau, decision="confirm", reason="结论一致")
    text = _enterprise_notice(client_for, personas, app)
    assert "区经信局决定：维持原等级（3级），证书 " + app.grade.certificate_number + " 继续有效" in text
    assert "理由：结论一致" in text


@pytest.mark.django_db
def test_the_enterprise_page_says_when_the_grade_was_revoked(personas, rechecked, client_for):
    app, recheck = rechecked
    _outcome(recheck, personas, outcome=RecheckOutcome.REVOKE, new_level=None)
    services.decide_recheck(
        recheck=recheck,
        by=personas.bureau,
        decision="revoke",
        reason="材料不实",
        basis="false_material",
        basis_text="现场未见设备",
    )
    text = _enterprise_notice(client_for, personas, app)
    assert "区经信局决定：撤销认定结果（证书 " + app.grade.certificate_number + " 不再有效）" in text
    assert "理由：材料不实" in text
