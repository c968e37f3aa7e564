"""Demo self-assessments and applications: every level 0-4 and every enterprise step (draft, submitted,
returned with two versions, withdrawn, accepted), plus the pilot roster (one demo enterprise deliberately off it).

`make_submitted_application(enterprise, level=, by=)` is for the later demo modules (experts, supervision): it
fills a self-assessment that really grades to `level`, attaches a file, and submits through the real services.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import Role, RosterEntry, User
from accounts.services import email_confirmed, mark_email_confirmed

from . import selectors, services, submission
from .framework import get_edition
from .lifecycle import transition
from .models import PAPER_CODES, Application, ApplicationState

# Figures consistent with the derived items: Q2 80% → 4, Q3 70% → 4, Q11 12% → 1, Q12-Q15 all improving → 2.
FIGURES = {
    "equipment_total": 50,
    "equipment_digital": 40,
    "equipment_networked": 35,
    "investment_by_year": ["560", "600", "640"],
    "revenue_by_year": ["4600", "5000", "5400"],
    "prev_year": {
        "employees": 100,
        "revenue": "5000",
        "cost": "4000",
        "energy": [
            {"source": "electricity", "amount": "310"},
            {"source": "blast_furnace_gas", "amount": "1.5"},
        ],
        "conversion_output_tce": "0",
        "recovered_tce": "2",
    },
    "last_year": {
        "employees": 105,
        "revenue": "6000",
        "cost": "4500",
        "energy": [{"source": "electricity", "amount": "300"}],
        "conversion_output_tce": "0",
        "recovered_tce": "0",
    },
    "pass_rate_before": "0.95",
    "pass_rate_after": "0.97",
}
DERIVED = {"Q2": 4, "Q3": 4, "Q11": 1, "Q12": 2, "Q13": 2, "Q14": 2, "Q15": 2}
FULL = {
    "Q1": [1, 2, 3, 4],
    "Q4": list(range(1, 15)),
    "Q5": 4,
    "Q6": [1, 2, 3, 4],
    "Q7": [1, 2, 3, 4],
    "Q8": 5,
    "Q9": [1, 2, 3, 4],
    "Q10": [1, 2, 3, 4, 5],
}
MIDDLE = {
    "Q1": [1, 2],
    "Q4": [1, 2, 3, 4, 5, 6, 7],
    "Q5": 2,
    "Q6": [1, 2],
    "Q7": [1, 2],
    "Q8": 3,
    "Q9": [1, 2],
    "Q10": [1, 2, 3],
}
NOTHING = {"Q1": [0], "Q4": [0], "Q5": 0, "Q6": [0], "Q7": [0], "Q8": 0, "Q9": [0], "Q10": [0]}


def answer_set(level: int, edition=None) -> tuple[dict, dict, dict]:
    """(answers, scenarios, data) that the engine grades to exactly `level` (checked in tests)."""
    ed = edition or get_edition()
    base = {0: NOTHING, 1: NOTHING, 2: MIDDLE, 3: FULL, 4: FULL}[level]
    answers = {**base, **DERIVED}
    ticks = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4}[level]
    scenarios = {s.code: [i < ticks for i in range(len(s.criteria))] for s in ed.scenarios}
    return answers, scenarios, {k: (dict(v) if isinstance(v, dict) else v) for k, v in FIGURES.items()}


def _pdf(name: str) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def ensure_roster(enterprise, *, active: bool = True):
    entry, _created = RosterEntry.objects.get_or_create(
        credit_code=enterprise.credit_code,
        defaults={
            "name": enterprise.name,
            "service_provider_name": "北京顺义数字化转型服务有限公司",
            "active": active,
        },
    )
    return entry


def fill_to_level(enterprise, *, level: int, by):
    """The enterprise's working self-assessment, filled with an answer set grading to `level`, with one file."""
    assessment = services.working_assessment(enterprise=enterprise, by=by)
    answers, scenarios, data = answer_set(level, selectors.edition_of(assessment))
    assessment = services.fill_assessment(
        assessment=assessment, answers=answers, scenarios=scenarios, data=data, by=by
    )
    if not assessment.evidence.filter(removed_at__isnull=True).exists():
        services.upload_evidence(
            assessment=assessment,
            target="Q2",
            upload=_pdf("设备台账.pdf"),
            content_type="application/pdf",
            by=by,
        )
    return assessment


def make_submitted_application(enterprise, *, level: int, by) -> Application:
    """A genuinely submitted application at self-assessed `level` (≥ 2), through the real services. For demo and
    test set-ups it puts the enterprise on the roster and marks the submitter's e-mail confirmed if needed."""
    if not email_confirmed(by):
        mark_email_confirmed(user=by)
    ensure_roster(enterprise)
    fill_to_level(enterprise, level=level, by=by)
    app = services.start_application(enterprise=enterprise, by=by)
    if app.state in (ApplicationState.DRAFT, ApplicationState.RETURNED):
        app = submission.submit(application=app, by=by, pledge=True)
    return app


def _user(username):
    return User.objects.get(username=username)


def seed(out) -> None:
    """Idempotent: each demo enterprise is brought to its step only once (an application marks it done)."""

    bureau = _user("demo-bureau")
    # demo-enterprise-5 is deliberately NOT on the pilot roster.
    for i in range(0, 5):
        ensure_roster(accounts_demo.enterprise(i))

    plan = [
        # (enterprise index, username, level, step)
        (0, "demo-enterprise", 3, "returned"),
        (1, "demo-enterprise-1", 2, "submitted"),
        (2, "demo-enterprise-2", 4, "accepted"),
        (3, "demo-enterprise-3", 2, "withdrawn"),
        (4, "demo-enterprise-4", 1, "draft"),
        (5, "demo-enterprise-5", 0, "self-assessment"),
    ]
    for index, username, level, step in plan:
        enterprise = accounts_demo.enterprise(index)
        user = User.objects.filter(username=username, role=Role.ENTERPRISE).first()
        if user is None or Application.objects.filter(enterprise=enterprise).exists():
            continue
        if step == "self-assessment":
            if not enterprise.assessments.exists():
                fill_to_level(enterprise, level=level, by=user)
            continue
        if step == "draft":
            fill_to_level(enterprise, level=level, by=user)
            services.start_application(enterprise=enterprise, by=user)
            continue
        app = make_submitted_application(enterprise, level=level, by=user)
        if step == "returned":
            transition(
                app,
                "return_for_correction",
                by=bureau,
                reason="Q2 设备台账不完整，请补充数字化设备清单并核对设备数量。",
            )
            app.refresh_from_db()
            # The correction: one more scenario level, a corrected figure and a new file, then resubmitted.
            assessment = app.assessment
            services.save_field(
                assessment=assessment,
                key="data.equipment_total",
                values=["48"],
                based_on=assessment.revision,
                by=user,
            )
            assessment.refresh_from_db()
            services.upload_evidence(
                assessment=assessment,
                target="Q2",
                upload=_pdf("设备台账（补充）.pdf"),
                content_type="application/pdf",
                by=user,
            )
            submission.submit(application=app, by=user, pledge=True)
            transition(app, "return_for_correction", by=bureau, reason="请补充 S01 产品设计三级的佐证材料。")
        elif step == "withdrawn":
            submission.withdraw(application=app, by=user, reason="数据需重新核实，暂缓申请。")
        elif step == "accepted":
            transition(
                app,
                "accept",
                by=bureau,
                checklist=dict.fromkeys(PAPER_CODES, True),
                received_on=timezone.localdate(),
            )
    # Levels 0-4 are all present as working self-assessments (5: level 0, 4: level 1, 1/3: 2, 0: 3, 2: 4).
    out.write(f"assessments: {Application.objects.count()} applications")
