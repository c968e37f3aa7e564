"""Reads of the enterprise portal: what a user may see, the questionnaire as the page shows it, the engine's
verdict on a working copy, the timeline of a case and the differences between two submitted versions.

Every score, level, derived option, tce and gap comes from assessments.engine; nothing here computes one.
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import Role, RosterEntry, User
from core.models import AuditEvent

from . import engine, guidance
from .forms import SCALAR_KINDS
from .framework import Edition, get_edition
from .models import (
    Application,
    ApplicationState,
    ApplicationStates,
    ApplicationVersion,
    Assessment,
    Evidence,
    PaperInstructions,
    PaperStatus,
)

# --------------------------------------------------------------------------------------------------------
# The engine's verdict
# --------------------------------------------------------------------------------------------------------


def edition_of(source) -> Edition:
    """The framework edition of an assessment, a version or a proposal (anything with `.edition`), or of an
    edition code (None: the current edition)."""
    return get_edition(source if source is None or isinstance(source, str) else source.edition)


def evaluate(assessment: Assessment) -> engine.GradeResult:
    """The engine's verdict on a working copy, tolerant of an unfinished questionnaire (partial mode)."""
    return evaluate_parts(assessment.edition, assessment.answers, assessment.scenarios, assessment.data)


def evaluate_parts(edition_code: str, answers: dict, scenarios: dict, data: dict) -> engine.GradeResult:
    return engine.grade_partial(edition_code, answers, scenarios, data)


def evaluate_strict(assessment: Assessment) -> engine.GradeResult:
    """The engine's verdict on a finished questionnaire; raises engine.GradingInputError on anything amiss."""
    obj = {"answers": assessment.answers, "scenarios": assessment.scenarios, "data": assessment.data}
    return engine.grade(engine.parse_assessment(obj, edition=assessment.edition))


# --------------------------------------------------------------------------------------------------------
# What a user may see
# --------------------------------------------------------------------------------------------------------


def visible_applications(user: User) -> QuerySet[Application]:
    """The applications this user may know exist (the start of every list of cases and of every case page):
    the enterprise its own, the bureau all, an agency admin its agency's, an expert those of a team they are a
    live member of (undeclared too: they see the declaration page, nothing else). One query, no per-row test;
    what an insider may then do is a named permission (shunyi_eval/permissions.py)."""
    qs = Application.objects.select_related("enterprise", "agency")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    return qs.filter(_visible(user))


def _visible(user: User) -> Q:
    nothing = Q(pk__in=[])
    if user.role == Role.BUREAU:
        return Q()
    if user.role == Role.ENTERPRISE:
        return Q(enterprise_id=user.enterprise_id) if user.enterprise_id else nothing
    if user.role == Role.AGENCY_ADMIN:
        return Q(agency_id=user.agency_id) if user.agency_id else nothing
    if user.role == Role.EXPERT:
        # experts.TeamMember.objects.live(), read through the user's memberships.
        return Q(pk__in=user.team_memberships.live().values("team__application_id"))
    return nothing


def visible_evidence(user: User) -> QuerySet[Evidence]:
    """The evidence files this user may know exist: the enterprise's own (the working copy's too), and the
    files of the applications the user may see."""
    qs = Evidence.objects.select_related("assessment", "assessment__enterprise")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.BUREAU:
        return qs
    if user.role == Role.ENTERPRISE:
        return qs.filter(assessment__enterprise_id=user.enterprise_id) if user.enterprise_id else qs.none()
    return qs.filter(assessment__application__in=visible_applications(user).values("pk"))


def latest_assessment(enterprise) -> Assessment | None:
    return (
        Assessment.objects.filter(enterprise=enterprise).select_related("application").order_by("-id").first()
    )


def is_editable(assessment: Assessment) -> bool:
    """A working copy is editable until its application is submitted, and again when returned for correction."""
    app = getattr(assessment, "application", None) if _has_application(assessment) else None
    return app is None or app.state in ApplicationStates.EDITABLE


def _has_application(assessment: Assessment) -> bool:
    try:
        assessment.application  # noqa: B018 (reads the reverse one-to-one)
    except Application.DoesNotExist:
        return False
    return True


def application_of(assessment: Assessment) -> Application | None:
    return assessment.application if _has_application(assessment) else None


def valid_grade(enterprise):
    """The enterprise's valid published grade (supervision.Grade, read through its relation to the enterprise)."""
    return (
        enterprise.grades.filter(revoked_at__isnull=True)
        .select_related("application")
        .order_by("-approved_at")
        .first()
    )


def on_roster(enterprise) -> bool:
    return RosterEntry.objects.filter(credit_code=enterprise.credit_code, active=True).exists()


# --------------------------------------------------------------------------------------------------------
# The questionnaire as the page shows it
# --------------------------------------------------------------------------------------------------------


@dataclass
class FigureInput:
    key: str
    label: str
    unit: str
    help: str
    value: str | None
    year: int | None = None


@dataclass
class ItemView:
    item: object
    answer: object
    chosen: set
    figures: list
    derived: int | None
    derived_text: str
    inconsistent: bool
    points: str
    evidence: list


@dataclass
class CriterionView:
    level: int
    text: str
    met: bool
    counted: bool
    blocked_message: str
    evidence: list


@dataclass
class ScenarioView:
    scenario: object
    answered: bool
    none_met: bool
    level: int
    criteria: list
    group_name: str = ""


@dataclass
class EnergyYear:
    key: str  # "prev_year" / "last_year"
    label: str
    rows: list = field(default_factory=list)  # [(source, FigureInput)]
    minus: list = field(default_factory=list)  # [FigureInput]
    tce: str | None = None


def _node(data: dict, path: str):
    node = data
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def figure_inputs(edition: Edition, data: dict, paths) -> list[FigureInput]:
    out = []
    for path in paths:
        f = edition.figure_field(path)
        if f.kind in SCALAR_KINDS:
            value = _node(data, path)
            out.append(
                FigureInput(f"data.{path}", f.label, f.unit, f.help, None if value is None else str(value))
            )
        elif f.kind == "amounts":
            years = _node(data, path) or []
            for i in range(f.max_length or 1):
                value = years[i] if i < len(years) else None
                out.append(
                    FigureInput(
                        f"data.{path}.{i}",
                        f.label,
                        f.unit,
                        f.help,
                        None if value is None else str(value),
                        year=i + 1,
                    )
                )
    return out


def energy_years(edition: Edition, data: dict, result) -> list[EnergyYear]:
    years = []
    tce = result.energy_tce
    for f in edition.fields:
        if f.kind != "tce" or not f.from_list:
            continue
        year = EnergyYear(key=f.key, label=f.label)
        rows = {
            row.get("source"): row.get("amount")
            for row in (_node(data, f.from_list) or [])
            if isinstance(row, dict)
        }
        for source in edition.energy_sources:
            amount = rows.get(source.code)
            year.rows.append(
                (
                    source,
                    FigureInput(
                        f"data.{f.from_list}.{source.code}",
                        source.name,
                        source.unit,
                        source.coefficient_text,
                        None if amount is None else str(amount),
                    ),
                )
            )
        year.minus = figure_inputs(edition, data, f.minus)
        if f.key in tce:
            year.tce = engine_decimal_text(tce[f.key])
        years.append(year)
    return years


def engine_decimal_text(value) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def option_text(edition: Edition, code: str, index) -> str:
    item = edition.item(code)
    if index is None:
        return ""
    indexes = index if isinstance(index, (list, tuple)) else [index]
    return "；".join(
        item.options[i].text for i in indexes if isinstance(i, int) and 0 <= i < len(item.options)
    )


def evidence_by_target(assessment: Assessment) -> dict[str, list[Evidence]]:
    """The working copy's visible files, grouped by target (one query, whatever the number of files)."""
    grouped: dict[str, list[Evidence]] = {}
    for ev in Evidence.objects.filter(assessment=assessment, removed_at__isnull=True).order_by(
        "uploaded_at", "id"
    ):
        grouped.setdefault(ev.target, []).append(ev)
    return grouped


def questionnaire(assessment: Assessment, result=None, evidence=None) -> dict:
    """Everything the questionnaire page shows, built from the edition's data and the engine's verdict."""
    edition = edition_of(assessment)
    result = result or evaluate(assessment)
    evidence = evidence if evidence is not None else evidence_by_target(assessment)
    derived = result.derived
    inconsistent = set(result.inconsistencies)
    item_points = result.items
    figures_shown: set[str] = set()
    dimensions = []
    for dim in edition.dimensions:
        secondaries = []
        for sec in dim.secondaries:
            items = []
            for item in sec.items:
                answer = assessment.answers.get(item.code)
                chosen = (
                    set(answer) if isinstance(answer, list) else ({answer} if answer is not None else set())
                )
                paths = [
                    p for p in item.fields if p not in figures_shown and edition.figure_field(p).kind != "tce"
                ]
                figures_shown.update(paths)
                d = derived.get(item.code)
                items.append(
                    ItemView(
                        item=item,
                        answer=answer,
                        chosen=chosen,
                        figures=figure_inputs(edition, assessment.data, paths),
                        derived=d,
                        derived_text=option_text(edition, item.code, d) if d is not None else "",
                        inconsistent=item.code in inconsistent,
                        points=engine.format_points(item_points[item.code]),
                        evidence=evidence.get(item.code, []),
                    )
                )
            secondaries.append({"secondary": sec, "items": items})
        dimensions.append({"dimension": dim, "secondaries": secondaries})
    groups = {g.code: g.name for g in edition.scenario_groups}
    scenarios = [
        scenario_view(edition, assessment.scenarios, s, result, evidence, groups) for s in edition.scenarios
    ]
    return {
        "edition": edition,
        "result": result,
        "dimensions": dimensions,
        "scenarios": scenarios,
        "energy_years": energy_years(edition, assessment.data, result),
        # Figures of the edition that no item asks for (none in shunyi-2024): shown after the items.
        "general_figures": figure_inputs(
            edition,
            assessment.data,
            [
                f.path
                for f in edition.fields
                if f.path not in figures_shown
                and f.kind in SCALAR_KINDS + ("amounts",)
                and not _is_energy_minus(edition, f.path)
            ],
        ),
        # The item whose figures include a year's 综合能源消费量 shows the energy table (表1) under it.
        "energy_items": {
            i.code for i in edition.items if any(edition.figure_field(p).kind == "tce" for p in i.fields)
        },
    }


def merged_fields(context: dict, keys) -> dict:
    """The parts of a questionnaire page to swap in after a merged save: the items, figures and scenarios other
    tabs changed (so the tab has seen their current values). `context` is what questionnaire() returned."""
    keys = set(keys)
    if not keys:
        return {"merged_items": [], "merged_figures": [], "merged_scenarios": [], "merged_labels": []}
    items = [
        iv
        for d in context["dimensions"]
        for s in d["secondaries"]
        for iv in s["items"]
        if iv.item.code in keys
    ]
    figures = [
        fi for d in context["dimensions"] for s in d["secondaries"] for iv in s["items"] for fi in iv.figures
    ]
    for year in context["energy_years"]:
        figures += [fi for _source, fi in year.rows] + list(year.minus)
    figures = [fi for fi in figures if fi.key in keys]
    codes = {k.split(".")[0] for k in keys}
    scenarios = [sv for sv in context["scenarios"] if sv.scenario.code in codes]
    labels = [f"{iv.item.number}. {iv.item.name}" for iv in items] + [fi.label for fi in figures]
    labels += [f"{sv.scenario.code} {sv.scenario.name}" for sv in scenarios]
    return {
        "merged_items": items,
        "merged_figures": figures,
        "merged_scenarios": scenarios,
        "merged_labels": labels,
    }


def _is_energy_minus(edition: Edition, path: str) -> bool:
    return any(path in f.minus for f in edition.fields if f.kind == "tce")


def scenario_view(edition, scenarios: dict, scenario, result, evidence: dict, groups=None) -> ScenarioView:
    met = scenarios.get(scenario.code)
    answered = isinstance(met, list)
    met = met if answered else [False] * len(scenario.criteria)
    level = result.scenario_levels.get(scenario.code, 0)
    names = {lv.level: lv.name for lv in edition.scenario_levels}
    criteria = []
    for i, text in enumerate(scenario.criteria, start=1):
        ticked = bool(met[i - 1]) if i - 1 < len(met) else False
        counted = i <= level
        message = ""
        if ticked and not counted:
            message = f"{names.get(i, i)}不计入：需先满足{names.get(level + 1, level + 1)}全部要求"
        criteria.append(
            CriterionView(i, text, ticked, counted, message, evidence.get(f"{scenario.code}.{i}", []))
        )
    return ScenarioView(
        scenario=scenario,
        answered=answered,
        none_met=answered and not any(met),
        level=level,
        criteria=criteria,
        group_name=(groups or {}).get(scenario.group, ""),
    )


def panel(assessment: Assessment, result) -> dict:
    """The live panel: scores, scenario levels, the level and what is missing for the next one (all engine)."""
    edition = edition_of(assessment)
    nxt = result.next_level
    dims = result.dimensions
    return {
        "result": result,
        "score": engine.format_points(result.score),
        "level_name": result.level_name,
        "dimensions": [
            (d.name, engine.format_points(dims[d.code]), engine.format_points(d.points))
            for d in edition.dimensions
        ],
        "scenario_levels": [(s, result.scenario_levels.get(s.code, 0)) for s in edition.scenarios],
        "next": nxt,
        "score_needed": engine.format_points(nxt.score_needed) if nxt else None,
        "unanswered_items": [edition.item(c) for c in result.unanswered_items],
        "unanswered_scenarios": [edition.scenario(c) for c in result.unanswered_scenarios],
        "unanswered_count": len(result.unanswered_items) + len(result.unanswered_scenarios),
        "errors": [error_text(edition, e) for e in result.errors],
        "inconsistencies": [edition.item(c) for c in result.inconsistencies],
        # The section navigation and the next-level suggestions (assessments/guidance.py).
        "guide": guidance.guidance(edition, result),
    }


# --------------------------------------------------------------------------------------------------------
# A case's timeline and versions
# --------------------------------------------------------------------------------------------------------


def application_timeline(application: Application):
    """The case's state changes (audit events `application.*`), oldest first, with who and why."""
    return list(
        AuditEvent.objects.filter(application=application, action__startswith="application.")
        .select_related("actor")
        .order_by("at", "id")
    )


def timelines_for(applications) -> dict[int, list]:
    """Timelines of several applications in one query."""
    out: dict[int, list] = {app.pk: [] for app in applications}
    if not out:
        return out
    events = (
        AuditEvent.objects.filter(application_id__in=list(out), action__startswith="application.")
        .select_related("actor")
        .order_by("at", "id")
    )
    for ev in events:
        out[ev.application_id].append(ev)
    return out


def return_reason(application: Application) -> str:
    """Why the bureau last returned this application for correction (shown beside the questionnaire)."""
    event = (
        AuditEvent.objects.filter(application=application, action="application.return_for_correction")
        .order_by("-at", "-id")
        .first()
    )
    return (event.detail or {}).get("reason", "") if event else ""


def versions_of(application: Application) -> list[ApplicationVersion]:
    return list(application.versions.select_related("submitted_by").order_by("number"))


def _flatten(data, prefix="") -> dict[str, str]:
    out = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("energy",) and isinstance(value, list):
                for row in value:
                    if isinstance(row, dict):
                        out[f"{prefix}{key}.{row.get('source')}"] = str(row.get("amount"))
            else:
                out.update(_flatten(value, f"{prefix}{key}."))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out[f"{prefix}{i}"] = str(value)
    else:
        out[prefix.rstrip(".")] = str(data)
    return out


def figure_label(edition: Edition, path: str) -> str:
    fields = {f.path: f for f in edition.fields}
    if path in fields:
        f = fields[path]
        return f"{f.label}（{f.unit}）" if f.unit else f.label
    head, _sep, tail = path.rpartition(".")
    f = fields.get(head)
    if f is not None and f.kind == "amounts":
        return f"{f.label} 第{int(tail) + 1}年（{f.unit}）"
    if f is not None and f.kind == "energy_list":
        try:
            source = edition.energy_source(tail)
            return f"{f.label}：{source.name}（{source.unit}）"
        except KeyError:
            pass
    return path


def version_diff(old: ApplicationVersion, new: ApplicationVersion) -> dict:
    """What changed between two submitted versions: items, figures, scenarios, evidence, score and level."""
    edition = get_edition(new.edition)
    items = []
    for item in edition.items:
        a, b = old.answers.get(item.code), new.answers.get(item.code)
        if a != b:
            items.append(
                {
                    "item": item,
                    "old": option_text(edition, item.code, a),
                    "new": option_text(edition, item.code, b),
                    "old_points": old.result.get("items", {}).get(item.code),
                    "new_points": new.result.get("items", {}).get(item.code),
                }
            )
    fa, fb = _flatten(old.data), _flatten(new.data)
    figures = [
        {"label": figure_label(edition, path), "old": fa.get(path, ""), "new": fb.get(path, "")}
        for path in sorted(set(fa) | set(fb))
        if fa.get(path) != fb.get(path)
    ]
    scenarios = []
    old_levels, new_levels = old.result.get("scenario_levels", {}), new.result.get("scenario_levels", {})
    for s in edition.scenarios:
        a, b = old.scenarios.get(s.code), new.scenarios.get(s.code)
        if a != b or old_levels.get(s.code) != new_levels.get(s.code):
            scenarios.append(
                {
                    "scenario": s,
                    "old_level": old_levels.get(s.code),
                    "new_level": new_levels.get(s.code),
                    "old": a,
                    "new": b,
                }
            )
    ea = {(e["sha256"], e["target"]): e for e in old.evidence}
    eb = {(e["sha256"], e["target"]): e for e in new.evidence}
    return {
        "old": old,
        "new": new,
        "items": items,
        "figures": figures,
        "scenarios": scenarios,
        "evidence_added": [eb[k] for k in eb if k not in ea],
        "evidence_removed": [ea[k] for k in ea if k not in eb],
        "score": (old.result.get("score"), new.result.get("score")),
        "level": (old.result.get("level"), new.result.get("level")),
        "level_names": (
            edition.level_name(old.result.get("level", 0)),
            edition.level_name(new.result.get("level", 0)),
        ),
        "unchanged": not (items or figures or scenarios or set(ea) ^ set(eb))
        and old.result.get("score") == new.result.get("score"),
    }


def enterprise_applications(enterprise) -> list[Application]:
    """The enterprise's applications, newest first, with what each row of its home shows read for all rows at
    once (its grade and versions for the reports, its open supplement requests for the 待办)."""
    return list(
        Application.objects.filter(enterprise=enterprise)
        .select_related("previous", "agency", "enterprise", "assessment", "grade")
        .prefetch_related("versions", "supplements")
        .order_by("-created_at", "-id")
    )


def enterprise_todo(applications) -> list[dict]:
    """The enterprise's 待办: what it must do next, each with where to do it and by when — supplementary material
    the experts asked for, paper materials to hand in, a returned application to correct."""
    todo = []
    paper = None
    for app in applications:
        # The experts' requests reach the case by its reverse relation (the experts app sits above this one).
        waiting = sorted(
            (s for s in app.supplements.all() if s.answered_at is None), key=lambda s: (s.deadline, s.id)
        )
        for s in waiting:
            todo.append(
                {
                    "kind": "supplement",
                    "text": _("专家要求补充材料（%(codes)s）：%(message)s")
                    % {"codes": "、".join(s.codes or []), "message": s.message},
                    "due": s.deadline,
                    "url": reverse("experts:supplement_reply", args=[s.pk]),
                    "action": _("答复并上传材料"),
                }
            )
        if app.state == ApplicationState.RETURNED:
            todo.append(
                {
                    "kind": "correction",
                    "text": _("申请%(number)s被退回补正，请按意见修改自评后重新提交。")
                    % {"number": app.number},
                    "due": None,
                    "url": reverse("assessments:application", args=[app.pk]),
                    "action": _("查看退回意见"),
                }
            )
        if app.state == ApplicationState.SUBMITTED and app.paper_status != PaperStatus.RECEIVED:
            paper = paper or PaperInstructions.current()  # the bureau's list, address and deadline (one read)
            text = _("向区经信局报送纸质材料：%(list)s。") % {"list": "、".join(paper.item_list)}
            if paper.address:
                text += _("报送地址：%(address)s。") % {"address": paper.address}
            todo.append(
                {
                    "kind": "paper",
                    "text": text,
                    "due": paper.due_for(app),
                    "url": reverse("assessments:application", args=[app.pk]),
                    "action": _("查看申请"),
                }
            )
    return todo


def case_rechecks(application) -> list:
    """The 抽验复核 of the case's certificates (its grade and those a re-check superseded), newest first, with the
    sample, the re-checking agency and the new certificate — what the enterprise's application page tells.
    (supervision.Recheck, read through the grades' relation: this app does not import supervision.)"""
    grade = getattr(application, "grade", None)
    if grade is None:
        return []
    return list(
        grade.rechecks.model.objects.filter(grade__in=[g.pk for g in grade.history()])
        .select_related("grade", "sample", "agency", "reissued")
        .order_by("-sample__created_at", "-id")
    )


def revoked_grade(enterprise):
    """The enterprise's latest revoked grade when it holds no valid one: what happened and why, for its home."""
    if valid_grade(enterprise) is not None:
        return None
    return enterprise.grades.filter(revoked_at__isnull=False).order_by("-revoked_at").first()


# The 办事进度 stepper: the lifecycle's stages in order, each with the states that belong to it, who holds the case
# while it is there and which due date applies.
STEPS = [
    (
        "self",
        gettext_lazy("填报自评"),
        {ApplicationState.DRAFT, ApplicationState.RETURNED},
        "enterprise",
        None,
    ),
    ("intake", gettext_lazy("受理"), {ApplicationState.SUBMITTED}, "bureau", None),
    ("commission", gettext_lazy("委托评测"), {ApplicationState.ACCEPTED}, "bureau", None),
    (
        "review",
        gettext_lazy("资料审核"),
        {ApplicationState.ASSIGNED, ApplicationState.IN_REVIEW},
        "agency",
        "review_due",
    ),
    ("site", gettext_lazy("现场查验"), {ApplicationState.ON_SITE}, "agency", "proposal_due"),
    ("approval", gettext_lazy("审定"), {ApplicationState.PROPOSED}, "bureau", None),
    (
        "published",
        gettext_lazy("公布"),
        {ApplicationState.APPROVED, ApplicationState.REVOKED},
        "bureau",
        None,
    ),
]
ENDED = {ApplicationState.WITHDRAWN: "self", ApplicationState.NOT_ACCEPTED: "intake"}


def stepper(application: Application, today=None) -> dict:
    """Where the case is: every stage done / current / to come; for the current one who holds it, since when
    and its due date (overdue days where it has passed)."""
    today = today or timezone.localdate()
    state = application.state
    here = ENDED.get(state) or next(key for key, _l, states, _h, _d in STEPS if state in states)
    index = [key for key, *_rest in STEPS].index(here)
    holders = {
        "enterprise": application.enterprise.name,
        "bureau": _("区经信局"),
        "agency": application.agency.name if application.agency_id else "",
    }
    steps = []
    for n, (key, label, _states, holder, due_field) in enumerate(STEPS):
        status = "done" if n < index else "current" if n == index else "todo"
        due = getattr(application, due_field) if due_field and status == "current" else None
        steps.append(
            {
                "key": key,
                "label": label,
                "status": status,
                "holder": holders[holder] if status == "current" else "",
                "due": due,
                "overdue": (today - due).days if due and due < today else 0,
            }
        )
    final = state in ENDED or state in (ApplicationState.APPROVED, ApplicationState.REVOKED)
    return {
        "steps": steps,
        "current": steps[index],
        "state": application.get_state_display(),
        "since": application.state_changed_at,
        "final": final,
    }


def error_text(edition: Edition, error, *, where: bool = True) -> str:
    """An engine error as the enterprise reads it: every field it names (``data.equipment_total``, ``Q2``) by
    its label, never its key — "80 大于 设备总数（50）" rather than "80 大于 data.equipment_total（50）"."""
    labels = {f"data.{f.path}": f.label for f in edition.fields}
    labels |= {i.code: f"{i.number}. {i.name}" for i in edition.items}
    labels |= {s.code: f"{s.code} {s.name}" for s in edition.scenarios}

    def label(value):
        return labels.get(value, value) if isinstance(value, str) else value

    text = gettext(error.MESSAGES[error.code]) % {k: label(v) for k, v in error.params.items()}
    return f"{label(error.where)}{_('：')}{text}" if where else text
