"""Submitting (第三条, 第八条): refusals leave no trace; success freezes a version; withdraw; numbering; 提级."""

import pytest
from django.utils import timezone

from accounts.models import RosterEntry
from assessments import demo, services, submission
from assessments.lifecycle import TransitionRefused, transition
from assessments.models import Application, ApplicationKind, ApplicationState, ApplicationVersion
from core.models import AuditEvent
from supervision.models import Grade

from .conftest import fill


def _draft(personas, level, roster=True):
    if roster:
        demo.ensure_roster(personas.enterprise)
    fill(personas, level)
    return services.start_application(enterprise=personas.enterprise, by=personas.owner)


def _assert_no_trace(app, audit_before):
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT and app.pledge_at is None and app.submitted_at is None
    assert not ApplicationVersion.objects.filter(application=app).exists()
    assert AuditEvent.objects.count() == audit_before


def test_refused_at_level_one_with_the_reason_and_no_trace(personas, client_for):
    app = _draft(personas, 1)
    before = AuditEvent.objects.count()
    r = client_for(personas.owner).post(
        f"/enterprise/applications/{app.pk}/submit/", {"pledge": "on"}, follow=True
    )
    body = r.content.decode()
    assert "一级（初始级）" in body and "达到二级（规范级）及以上方可申请评测" in body
    _assert_no_trace(app, before)


def test_refused_off_roster_with_the_roster_message(personas):
    app = _draft(personas, 3, roster=False)
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused) as exc:
        submission.submit(application=app, by=personas.owner, pledge=True)
    assert exc.value.message == "贵企业不在顺义区数字化转型试点企业名单中，暂不能申请"
    assert exc.value.field == "roster"
    _assert_no_trace(app, before)
    # an inactive (cancelled) entry does not count either
    RosterEntry.objects.create(credit_code=personas.enterprise.credit_code, name="x", active=False)
    with pytest.raises(TransitionRefused):
        submission.submit(application=app, by=personas.owner, pledge=True)
    _assert_no_trace(app, before)


def test_refused_without_pledge(personas):
    app = _draft(personas, 3)
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused) as exc:
        submission.submit(application=app, by=personas.owner, pledge=False)
    assert exc.value.field == "pledge" and "真实性承诺" in exc.value.message
    _assert_no_trace(app, before)


def test_refused_with_an_unconfirmed_email(personas):
    app = _draft(personas, 3)
    personas.owner.email_confirmed_at = None
    personas.owner.save()
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused) as exc:
        submission.submit(application=app, by=personas.owner, pledge=True)
    assert exc.value.field == "email" and "确认您的电子邮箱" in exc.value.message
    _assert_no_trace(app, before)


def test_refused_while_unanswered(personas):
    demo.ensure_roster(personas.enterprise)
    fill(personas, 3)
    a = services.working_assessment(enterprise=personas.enterprise, by=personas.owner)
    answers, scenarios, data = demo.answer_set(3)
    del answers["Q7"]
    del scenarios["S16"]
    services.fill_assessment(assessment=a, answers=answers, scenarios=scenarios, data=data, by=personas.owner)
    app = services.start_application(enterprise=personas.enterprise, by=personas.owner)
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused) as exc:
        submission.submit(application=app, by=personas.owner, pledge=True)
    assert "Q7 数据安全" in exc.value.message and "S16 决策支持" in exc.value.message
    _assert_no_trace(app, before)


def test_other_roles_cannot_submit(personas):
    app = _draft(personas, 3)
    for user in (personas.outsider, personas.bureau):
        with pytest.raises(TransitionRefused):
            submission.submit(application=app, by=user, pledge=True)
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT


def test_submit_freezes_a_version(personas, client_for):
    app = _draft(personas, 3)
    r = client_for(personas.owner).post(
        f"/enterprise/applications/{app.pk}/submit/", {"pledge": "on"}, follow=True
    )
    assert "评测申请已提交" in r.content.decode()
    app.refresh_from_db()
    assert app.state == ApplicationState.SUBMITTED and app.self_level == 3
    assert app.pledge_at and app.submitted_at
    v = app.versions.get()
    assert v.number == 1 and v.result["level"] == 3 and v.answers == app.assessment.answers
    assert v.evidence and len(v.evidence[0]["sha256"]) == 64
    assert v.profile["credit_code"] == personas.enterprise.credit_code
    assert AuditEvent.objects.filter(application=app, action="application.submit").exists()


def test_withdraw(personas, client_for, submitted):
    c = client_for(personas.owner)
    asked = c.post(f"/enterprise/applications/{submitted.pk}/withdraw/", {"reason": "暂缓"})
    assert 'data-testid="confirm"' in asked.content.decode() and "撤回原因：暂缓" in asked.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED  # nothing happens before the confirmation
    r = c.post(
        f"/enterprise/applications/{submitted.pk}/withdraw/",
        {"reason": "暂缓", "confirmed": "1"},
        follow=True,
    )
    assert "已撤回" in r.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.WITHDRAWN
    # a new working copy starts pre-filled from the withdrawn one
    a = services.working_assessment(enterprise=personas.enterprise, by=personas.owner)
    assert a.pk != submitted.assessment_id and a.answers == submitted.assessment.answers
    assert a.evidence.count() == 1


def test_numbers_are_sequential_per_year(db):
    year = timezone.localdate().year
    assert services.next_application_number() == f"SY{year}-0001"


def test_a_draft_has_no_number_until_it_is_submitted(personas, client_for):
    """申请评测 makes an unnumbered draft (a neutral label on the pages); the number comes with the submission
    and stays through a return for correction and the resubmission."""
    app = _draft(personas, 3)
    assert app.number is None and "提交后编号" in app.number_label
    page = client_for(personas.owner).get(f"/enterprise/applications/{app.pk}/").content.decode()
    assert "申请草稿（提交后编号）" in page and "None" not in page
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused):
        submission.submit(application=app, by=personas.owner, pledge=False)
    _assert_no_trace(app, before)
    assert app.number is None  # a refused submission gives no number either
    submission.submit(application=app, by=personas.owner, pledge=True)
    app.refresh_from_db()
    year = timezone.localdate().year
    assert app.number == f"SY{year}-0001"
    transition(app, "return_for_correction", by=personas.bureau, reason="请补充设备台账")
    submission.submit(application=app, by=personas.owner, pledge=True)
    app.refresh_from_db()
    assert app.number == f"SY{year}-0001"


def test_numbering_is_sequential_and_never_shared(personas):
    """Numbers come from the year's counter in submission order, never the same twice."""
    from tests import factories

    ents = [personas.enterprise, personas.other_enterprise, factories.enterprise("第三家企业")]
    users = [personas.owner, personas.outsider, factories.enterprise_user("third", ents[2])]
    apps = [services.start_application(enterprise=e, by=u) for e, u in zip(ents, users, strict=True)]
    for app in apps:
        services.assign_number(app)
        app.save(update_fields=["number"])
    numbers = [a.number for a in apps]
    assert len(set(numbers)) == 3 and sorted(numbers) == numbers
    assert numbers[0].endswith("-0001") and numbers[2].endswith("-0003")


def test_numbering_catches_up_when_a_number_was_taken_outside_the_counter(personas):
    """A number taken outside the counter (a restore, a hand-made row): the next one skips past it."""
    year = timezone.localdate().year
    first = services.start_application(enterprise=personas.enterprise, by=personas.owner)
    Application.objects.filter(pk=first.pk).update(number=f"SY{year}-0001")
    second = services.start_application(enterprise=personas.other_enterprise, by=personas.outsider)
    services.assign_number(second)
    assert second.number == f"SY{year}-0002"


def test_upgrade_after_grade_is_prefilled(personas, submitted):
    Grade.objects.create(
        application=submitted,
        enterprise=personas.enterprise,
        holder_name=personas.enterprise.name,
        holder_credit_code=personas.enterprise.credit_code,
        edition=submitted.assessment.edition,
        level=3,
        score="95.38",
        certificate_number="SYCERT-1",
        approved_at=timezone.now(),
        approved_by=personas.bureau,
    )
    Application.objects.filter(pk=submitted.pk).update(state=ApplicationState.APPROVED)
    app = services.start_application(enterprise=personas.enterprise, by=personas.owner)
    assert app.kind == ApplicationKind.UPGRADE and app.previous_id == submitted.pk
    assert app.assessment_id != submitted.assessment_id
    assert app.assessment.answers == submitted.assessment.answers
    assert app.assessment.level == 3


def test_resubmission_after_return_makes_version_two(personas, returned):
    a = returned.assessment
    services.save_field(assessment=a, key="Q5", values=["3"], based_on=a.revision, by=personas.owner)
    submission.submit(application=returned, by=personas.owner, pledge=True)
    returned.refresh_from_db()
    assert returned.state == ApplicationState.SUBMITTED
    assert list(returned.versions.values_list("number", flat=True)) == [1, 2]
    assert transition  # the lifecycle module is the one that moved it


def test_upgrade_must_aim_above_the_current_grade(personas, submitted):
    Grade.objects.create(
        application=submitted,
        enterprise=personas.enterprise,
        holder_name=personas.enterprise.name,
        holder_credit_code=personas.enterprise.credit_code,
        edition=submitted.assessment.edition,
        level=3,
        score="95.38",
        certificate_number="SYCERT-2",
        approved_at=timezone.now(),
        approved_by=personas.bureau,
    )
    Application.objects.filter(pk=submitted.pk).update(state=ApplicationState.APPROVED)
    app = services.start_application(enterprise=personas.enterprise, by=personas.owner)
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused) as exc:
        submission.submit(application=app, by=personas.owner, pledge=True)
    assert "须高于现有认定等级（三级（集成级））" in exc.value.message
    _assert_no_trace(app, before)
    fill(personas, 4)
    submission.submit(application=app, by=personas.owner, pledge=True)
    app.refresh_from_db()
    assert (
        app.state == ApplicationState.SUBMITTED
        and app.self_level == 4
        and app.kind == ApplicationKind.UPGRADE
    )
