"""Sample submitted applications for the experts' demo data (until `assessments.demo.make_submitted_application`
is on main), and `attach_evidence` (files frozen into the latest version) for the demo and the tests.

Answers are taken from the framework edition (not hard-coded), graded by the engine, and frozen as v1."""

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from assessments import engine
from assessments.framework import get_edition
from assessments.models import Application, ApplicationVersion, Assessment, Evidence


def top_answers(edition=None) -> dict:
    ed = edition or get_edition()
    answers = {}
    for item in ed.items:
        if item.is_multi:
            answers[item.code] = [o.index for o in item.options if not o.none]
        else:
            answers[item.code] = len(item.options) - 1
    return answers


def scenarios_for_level(level: int, edition=None) -> dict:
    """Scenario criteria giving exactly `level` (with full scores): just enough scenarios at that level."""
    ed = edition or get_edition()
    if level <= 0:
        return {s.code: ed.criteria_met(0) for s in ed.scenarios}
    need = ed.level(level)
    constrained = [s for s in ed.scenarios if s.constrained]
    other = [s for s in ed.scenarios if not s.constrained]
    at_level = constrained[: need.min_constrained]
    rest = [s for s in other + constrained[need.min_constrained :] if s not in at_level]
    at_level += rest[: max(0, need.min_scenarios - len(at_level))]
    chosen = {s.code for s in at_level}
    return {s.code: ed.criteria_met(level if s.code in chosen else 1) for s in ed.scenarios}


DATA = {"equipment_total": 50, "equipment_digital": 40, "equipment_networked": 35}

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
    b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def submitted_application(
    enterprise,
    *,
    by,
    agency=None,
    state="assigned",
    level=3,
    number=None,
    files=None,
):
    """An application past submission (state as given) with v1 frozen from the engine's output."""

    ed = get_edition()
    answers, scenarios = top_answers(ed), scenarios_for_level(level, ed)
    obj = {"framework": ed.code, "answers": answers, "scenarios": scenarios, "data": DATA}
    result = engine.grade(engine.parse_assessment(obj)).to_json()
    assessment = Assessment.objects.create(
        enterprise=enterprise,
        edition=ed.code,
        answers=answers,
        scenarios=scenarios,
        data=DATA,
        score=result["score"],
        level=result["level"],
    )
    now = timezone.now()
    number = number or f"SY{now:%Y}{Application.objects.count() + 1:05d}"
    app = Application.objects.create(
        number=number,
        enterprise=enterprise,
        kind="initial",
        assessment=assessment,
        state=state,
        self_level=result["level"],
        pledge_at=now,
        submitted_at=now,
        agency=agency,
    )
    ApplicationVersion.objects.create(
        application=app,
        number=1,
        edition=ed.code,
        answers=answers,
        scenarios=scenarios,
        data=DATA,
        result=result,
        evidence=[],
        profile={"name": enterprise.name, "credit_code": enterprise.credit_code},
        pledge_at=now,
        submitted_at=now,
        submitted_by=by,
    )
    attach_evidence(app, by=by, files=DEFAULT_FILES if files is None else files)
    return app


DEFAULT_FILES = (("Q2", "设备台账.png", PNG, "image/png"), ("S01.1", "设计软件.pdf", PDF, "application/pdf"))


def attach_evidence(app, *, by, files=DEFAULT_FILES):
    """Evidence files of the application's assessment, recorded in its latest version as submitted."""
    version = app.latest_version
    listed = list(version.evidence)
    for target, name, content, ctype in files:
        ev = Evidence(
            assessment=app.assessment,
            target=target,
            original_name=name,
            content_type=ctype,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=by,
        )
        ev.file.save(name, ContentFile(content), save=False)
        ev.save()
        listed.append({"id": ev.pk, "target": target, "name": name, "sha256": ev.sha256, "size": ev.size})
    version.evidence = listed
    version.save(update_fields=["evidence"])
    return version
