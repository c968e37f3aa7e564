"""Writes of the enterprise portal: the working self-assessment (autosave with field-level merge), evidence files,
starting an application and numbering it. Keyword-only, transactional; every change goes to the audit trail."""

import hashlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Enterprise
from core import numbering
from core.audit import record

from . import selectors
from .forms import FieldInputError, apply_value, display_value, field_key, get_value, parse_value
from .framework import get_edition
from .models import (
    Application,
    ApplicationKind,
    ApplicationState,
    ApplicationStates,
    ApplicationVersion,
    Assessment,
    Evidence,
)


class SaveRefused(Exception):
    """A questionnaire save that does not hold. `message` is Chinese, for beside the field."""

    def __init__(self, key: str, message: str, *, conflict: bool = False, current: str = ""):
        super().__init__(message)
        self.key = key
        self.message = message
        self.conflict = conflict
        self.current = current


@dataclass
class SaveOutcome:
    assessment: Assessment
    key: str
    changed: bool
    result: object  # the engine's verdict after the save
    # Fields someone else changed after the revision this save was based on: the tab must be shown their
    # current values (the view swaps them in) before its revision may move past those changes.
    merged: tuple = ()


# --------------------------------------------------------------------------------------------------------
# The working copy
# --------------------------------------------------------------------------------------------------------


@transaction.atomic
def working_assessment(*, enterprise, by) -> Assessment:
    """The enterprise's current self-assessment; a new one, pre-filled from the last, once the last is closed.

    The last assessment stays current while it is being edited or its application is under way (then it is
    read-only); after a withdrawal, a refusal or a grade, the next working copy starts from it (提级 pre-filled).
    """
    latest = selectors.latest_assessment(enterprise)
    if _is_current(latest):
        return latest
    # Two first visits at once must not start two working copies: lock the enterprise, then look again.
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    latest = selectors.latest_assessment(enterprise)
    if _is_current(latest):
        return latest
    fresh = Assessment.objects.create(
        enterprise=enterprise,
        edition=latest.edition if latest else get_edition().code,
        answers=dict(latest.answers) if latest else {},
        scenarios=dict(latest.scenarios) if latest else {},
        data=dict(latest.data) if latest else {},
        updated_by=by,
    )
    if latest is not None:
        carried = [
            Evidence(
                assessment=fresh,
                target=ev.target,
                file=ev.file.name,
                original_name=ev.original_name,
                content_type=ev.content_type,
                size=ev.size,
                sha256=ev.sha256,
                uploaded_by=ev.uploaded_by,
            )
            for ev in latest.evidence.filter(removed_at__isnull=True)
        ]
        Evidence.objects.bulk_create(carried)
        _refresh_cache(fresh)
        fresh.save(update_fields=["score", "level"])
        record(
            actor=by,
            action="assessment.start",
            obj=fresh,
            params={"from_assessment": latest.pk},
        )
    return fresh


def _is_current(assessment: Assessment | None) -> bool:
    if assessment is None:
        return False
    app = selectors.application_of(assessment)
    return app is None or app.state not in ApplicationStates.FINAL


def _refresh_cache(assessment: Assessment, result=None):
    """Store the engine's score and level on the assessment (a cache for lists; the engine stays the judge)."""
    result = result or selectors.evaluate(assessment)
    exact = Decimal(result.score.numerator) / Decimal(result.score.denominator)
    assessment.score = exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    assessment.level = result.level
    return result


def _engine_problems(edition_code, answers, scenarios, data) -> dict[str, str]:
    result = selectors.evaluate_parts(edition_code, answers, scenarios, data)
    edition = get_edition(edition_code)
    problems = {
        e.field: selectors.error_text(edition, e, where=False)
        for e in result.errors
        if not _is_pending_year_mismatch(e)
    }
    return problems, result


def _is_pending_year_mismatch(error) -> bool:
    """Per-year lists of different lengths are a form half-filled, not a wrong figure: shown, never refused."""
    return error.code == "year_count"


@transaction.atomic
def save_field(*, assessment: Assessment, key: str, values: list[str], based_on: int, by) -> SaveOutcome:
    """Save one questionnaire field (autosave). Refused with a Chinese message when the value is bad (nothing
    is written), when the questionnaire is locked, or when someone changed this same field after the revision
    this save was based on (a stale tab never overwrites what it did not see; other fields merge)."""
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    a_app = selectors.application_of(a)
    if a_app is not None and a_app.state not in ApplicationStates.EDITABLE:
        raise SaveRefused(key, _("申请已提交，自评问卷已锁定，不能修改。"))
    edition = get_edition(a.edition)
    try:
        fk = field_key(edition, key)
        new = parse_value(edition, fk, values)
    except FieldInputError as exc:
        raise SaveRefused(key, exc.message) from None
    old = get_value(edition, a.answers, a.scenarios, a.data, fk)
    merged = tuple(sorted(k for k, rev in a.field_revisions.items() if int(rev) > based_on and k != key))
    if old == new:
        return SaveOutcome(a, key, False, selectors.evaluate(a), merged)
    changed_at = int(a.field_revisions.get(key, 0))
    if changed_at > based_on:
        shown = display_value(edition, fk, old)
        raise SaveRefused(
            key,
            _("保存冲突：此项已在其他页面或由其他人修改为“%(value)s”，您的修改未保存。请核对后重新填写。")
            % {"value": shown},
            conflict=True,
            current=shown,
        )
    try:
        answers, scenarios, data = apply_value(edition, a.answers, a.scenarios, a.data, fk, new)
    except FieldInputError as exc:
        raise SaveRefused(key, exc.message) from None
    before, _result = _engine_problems(a.edition, a.answers, a.scenarios, a.data)
    after, result = _engine_problems(a.edition, answers, scenarios, data)
    fresh = {f: m for f, m in after.items() if before.get(f) != m}
    if fresh:
        field, message = next(iter(fresh.items()))
        raise SaveRefused(key, _field_message(edition, field, message))
    a.answers, a.scenarios, a.data = answers, scenarios, data
    a.revision += 1
    # A scenario's "none met" box and its four ticks edit one value: a change to one is a change to all.
    touched = [key]
    if fk.kind in ("criterion", "scenario_none"):
        touched = [f"{fk.code}.none"] + [
            f"{fk.code}.{i}" for i in range(1, len(edition.scenario(fk.code).criteria) + 1)
        ]
    for k in touched:
        a.field_revisions[k] = a.revision
    a.updated_by = by
    _refresh_cache(a, result)
    a.save()
    record(
        actor=by,
        action="assessment.answer",
        obj=a,
        application=a_app,
        params={
            "field": key,
            "edition": a.edition,
            "old": old,
            "new": new,
            "revision": a.revision,
        },
    )
    return SaveOutcome(a, key, True, result, tuple(k for k in merged if k not in touched))


def _field_message(edition, field: str, message: str) -> str:
    """The engine names fields by contract path (data.equipment_total); people read the label."""
    if field.startswith("data."):
        path = field[5:].split("[")[0]
        try:
            label = edition.figure_field(path).label
        except KeyError:
            label = path
        return f"{label}：{message}"
    return message


# --------------------------------------------------------------------------------------------------------
# Evidence
# --------------------------------------------------------------------------------------------------------


@transaction.atomic
def upload_evidence(*, assessment: Assessment, target: str, upload, content_type: str, by) -> Evidence:
    """Store a checked file (see forms.sniff_evidence) with its SHA-256."""
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    app = selectors.application_of(a)
    if app is not None and app.state not in ApplicationStates.EDITABLE:
        raise SaveRefused(target, _("申请已提交，不能再上传佐证材料。"))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        assessment=a,
        target=target,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    evidence.file.save("upload", upload, save=False)
    evidence.save()
    record(
        actor=by,
        action="evidence.upload",
        obj=evidence,
        application=app,
        params={
            "target": target,
            "name": evidence.original_name,
            "sha256": evidence.sha256,
            "size": evidence.size,
        },
    )
    return evidence


def _in_a_version(evidence: Evidence) -> bool:
    app = selectors.application_of(evidence.assessment)
    if app is None:
        return False
    return any(
        any(e.get("id") == evidence.pk for e in version.evidence)
        for version in ApplicationVersion.objects.filter(application=app).only("evidence")
    )


@transaction.atomic
def remove_evidence(*, evidence: Evidence, by) -> None:
    """Take a file out of the working copy. A file that is part of a submitted version is only hidden; a file
    nobody submitted is deleted (its stored file too, unless a carried-over copy still uses it)."""
    a = Assessment.objects.select_for_update().get(pk=evidence.assessment_id)
    app = selectors.application_of(a)
    if app is not None and app.state not in ApplicationStates.EDITABLE:
        raise SaveRefused(evidence.target, _("申请已提交，不能删除佐证材料。"))
    detail = {"target": evidence.target, "name": evidence.original_name, "sha256": evidence.sha256}
    if (
        _in_a_version(evidence)
        or Evidence.objects.filter(file=evidence.file.name).exclude(pk=evidence.pk).exists()
    ):
        evidence.removed_at = timezone.now()
        evidence.save(update_fields=["removed_at"])
        detail["hidden"] = True
    else:
        name = evidence.file.name
        storage = evidence.file.storage
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(name))
        detail["deleted"] = True
    record(
        actor=by,
        action="evidence.remove",
        obj=a,
        application=app,
        params=detail,
    )


def record_download(*, evidence: Evidence, by) -> None:
    """Every download of an evidence file is audited (who, when, from where)."""
    record(
        actor=by,
        action="evidence.download",
        obj=evidence,
        application=selectors.application_of(evidence.assessment),
        params={"target": evidence.target, "name": evidence.original_name, "sha256": evidence.sha256},
    )


# --------------------------------------------------------------------------------------------------------
# Applications
# --------------------------------------------------------------------------------------------------------


APPLICATION_SERIES = "application"


def _application_prefix(year: int) -> str:
    return f"SY{year}-"


def next_application_number(year: int | None = None) -> str:
    """The next number of the year, `SY2026-0001` … `SY2026-9999`, `SY2026-10000` … from the year's counter
    (core.numbering): never read back as the text maximum, which sorts 9999 after 10000."""
    year = year or timezone.localdate().year
    prefix = _application_prefix(year)
    serial = numbering.next_serial(
        APPLICATION_SERIES,
        year,
        existing=lambda: numbering.highest_serial(Application.objects.all(), "number", prefix),
    )
    return f"{prefix}{serial:04d}"


def assign_number(application: Application) -> None:
    """Give a submitted application the next number of the year (a draft has none; a resubmission keeps its
    own). A number taken outside the counter (a restore, a hand-made row) brings the counter up to the numbers in
    the table, once. The caller saves the application (the lifecycle's `submit`)."""
    if application.number:
        return
    number = next_application_number()
    if Application.objects.filter(number=number).exists():
        year = timezone.localdate().year
        highest = numbering.highest_serial(Application.objects.all(), "number", _application_prefix(year))
        numbering.catch_up(APPLICATION_SERIES, year, highest)
        number = next_application_number()
    application.number = number


@transaction.atomic
def start_application(*, enterprise, by) -> Application:
    """The draft application (申请) for the enterprise's working self-assessment; 提级 when it already holds a
    valid grade (pre-filled from the graded one, `previous` set). Returns the existing draft if there is one.
    Concurrent starts queue on the enterprise row, so the later ones find the first one's draft instead of racing
    it for the assessment's one application."""
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    assessment = working_assessment(enterprise=enterprise, by=by)
    existing = selectors.application_of(assessment)
    if existing is not None:
        return existing
    grade = selectors.valid_grade(enterprise)
    app = Application.objects.create(  # unnumbered: the number comes with the submission
        enterprise=enterprise,
        kind=ApplicationKind.UPGRADE if grade else ApplicationKind.INITIAL,
        previous=grade.application if grade else None,
        assessment=assessment,
        state=ApplicationState.DRAFT,
        self_level=assessment.level,
    )
    record(
        actor=by,
        action="application.create",
        obj=app,
        params={"application_kind": app.kind, "number": "", "previous": app.previous_id},
    )
    return app


@transaction.atomic
def fill_assessment(*, assessment: Assessment, answers: dict, scenarios: dict, data: dict, by) -> Assessment:
    """Replace a working copy's content at once (demo data, a pre-fill). The engine checks it first: a bad
    input raises engine.GradingInputError and nothing is written. One audit row with old and new content."""
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    app = selectors.application_of(a)
    if app is not None and app.state not in ApplicationStates.EDITABLE:
        raise SaveRefused("", _("申请已提交，自评问卷已锁定，不能修改。"))
    result = selectors.evaluate_parts(a.edition, answers, scenarios, data)
    if result.errors:
        raise result.errors[0]
    old = {"answers": a.answers, "scenarios": a.scenarios, "data": a.data}
    a.answers, a.scenarios, a.data = answers, scenarios, data
    a.revision += 1
    a.field_revisions = {}
    a.updated_by = by
    _refresh_cache(a, result)
    a.save()
    record(
        actor=by,
        action="assessment.fill",
        obj=a,
        application=app,
        params={
            "old": old,
            "new": {"answers": answers, "scenarios": scenarios, "data": data},
            "revision": a.revision,
        },
    )
    return a
