"""A scale data set anyone can make (`manage.py seed_scale --enterprises 100000`): enterprises on the roster with
their staff, self-assessments graded by the engine, applications spread over every state, agencies with teams
and proposals, grades with certificate numbers, evidence rows, audit events (hash-chained like every other
event) and a re-check sample — written with bulk inserts in batches, in minutes.

It refuses a database holding anything but demo data (`demo-…` accounts) and its own earlier rows
(`scale-…` accounts), so it never mixes invented cases into a real district's data.
"""

import contextlib
import datetime
import hashlib
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.credit_code import make_credit_code
from accounts.models import Agency, Enterprise, Role, RosterEntry, User
from accounts.sme import Industry
from assessments import engine
from assessments.framework import get_edition
from assessments.models import Application, ApplicationVersion, Assessment, Evidence
from assessments.models import ApplicationState as S
from assessments.services import APPLICATION_SERIES, _refresh_cache
from core import chain, numbering
from core.models import AuditEvent
from experts.models import ConflictKind, MemberRole, Proposal, Team, TeamMember, TeamPurpose
from supervision.figures import figures_of, rebuild_tally
from supervision.models import Grade
from supervision.publication import CERTIFICATE_PREFIX, CERTIFICATE_SERIES

PREFIX = "scale-"
BATCH = 5000
EDITION = "shunyi-2024"
PASSWORD = "demo-pass-2024"
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# Where the applications are, out of 100 (the bureau's list holds all but the drafts).
STATES = [
    (S.DRAFT, 10),
    (S.SUBMITTED, 5),
    (S.ACCEPTED, 5),
    (S.RETURNED, 2),
    (S.NOT_ACCEPTED, 1),
    (S.WITHDRAWN, 1),
    (S.ASSIGNED, 3),
    (S.IN_REVIEW, 4),
    (S.ON_SITE, 3),
    (S.PROPOSED, 3),
    (S.APPROVED, 61),
    (S.REVOKED, 2),
]
# The path of each state through the lifecycle (the audit trail's application.<action> events).
PATH = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.RETURNED: ["submit", "return_for_correction"],
    S.NOT_ACCEPTED: ["submit", "refuse"],
    S.WITHDRAWN: ["submit", "withdraw"],
    S.ACCEPTED: ["submit", "accept"],
    S.ASSIGNED: ["submit", "accept", "commission"],
    S.IN_REVIEW: ["submit", "accept", "commission", "start_review"],
    S.ON_SITE: ["submit", "accept", "commission", "start_review", "start_site_visit"],
    S.PROPOSED: ["submit", "accept", "commission", "start_review", "start_site_visit", "propose"],
    S.APPROVED: ["submit", "accept", "commission", "start_review", "start_site_visit", "propose", "approve"],
    S.REVOKED: [
        "submit", "accept", "commission", "start_review", "start_site_visit", "propose", "approve", "revoke",
    ],
}  # fmt: skip
WITH_AGENCY = {S.ASSIGNED, S.IN_REVIEW, S.ON_SITE, S.PROPOSED, S.APPROVED, S.REVOKED}
PROPOSED = {S.PROPOSED, S.APPROVED, S.REVOKED}
SUBMITTED = {s for s, path in PATH.items() if path}


class RefusedDatabase(Exception):
    pass


def check_database() -> None:
    """Refuse a database with accounts other than the demo's and this seeder's own."""
    others = User.objects.exclude(username__startswith="demo-").exclude(username__startswith=PREFIX)
    if others.exists():
        names = ", ".join(others.order_by("id").values_list("username", flat=True)[:5])
        raise RefusedDatabase(f"this database holds non-demo data (accounts: {names}); seed_scale refuses it")


@contextlib.contextmanager
def given_times(*models):
    """Let bulk inserts keep the times they are given (auto_now / auto_now_add fields set them otherwise)."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def variants(rng: random.Random, n: int = 240) -> list[dict]:
    """n distinct questionnaires at every level, each graded by the engine once (the cache and the frozen
    results then agree with the engine, as regrade checks)."""
    ed = get_edition(EDITION)
    out = []
    for i in range(n):
        target = [0, 1, 2, 2, 3, 3, 3, 4][i % 8]
        answers = {}
        for item in ed.items:
            indices = [o.index for o in item.options if not o.none]
            if item.kind == "multi":
                answers[item.code] = sorted(rng.sample(indices, k=rng.randint(1, len(indices))))
            else:
                top = max(o.index for o in item.options)
                answers[item.code] = (
                    top if rng.random() < 0.7 else rng.choice([o.index for o in item.options])
                )
        scenarios = {}
        for s in ed.scenarios:
            reach = max(0, min(4, target + rng.choice([0, 0, 0, 1, -1])))
            scenarios[s.code] = [lv < reach for lv in range(4)]
        contract = {"framework": ed.code, "answers": answers, "scenarios": scenarios, "data": {}}
        result = engine.grade(engine.parse_assessment(contract)).to_json()
        cache = Assessment(edition=ed.code, answers=answers, scenarios=scenarios, data={})
        _refresh_cache(cache)
        out.append(
            {
                "answers": answers,
                "scenarios": scenarios,
                "result": result,
                "score": cache.score,
                "level": cache.level,
                "figures": figures_of(result, ed.code),
            }
        )
    return out


class Seeder:
    def __init__(self, *, enterprises: int, seed: int, out):
        self.n = enterprises
        self.rng = random.Random(seed)
        self.out = out
        self.now = timezone.now()
        self.run = f"{seed}-{int(self.now.timestamp())}"
        self.events: list[AuditEvent] = []
        self.prev_hash = chain.GENESIS

    def say(self, text):
        self.out.write(f"[{timezone.now() - self.now}] {text}")

    # ---- people and organisations --------------------------------------------------------------------

    def organisations(self):
        password = make_password(PASSWORD)
        agencies = list(Agency.objects.order_by("id"))
        for i in range(len(agencies), 5):
            agencies.append(
                Agency.objects.create(
                    name=f"规模测试评测机构{i + 1}", credit_code=make_credit_code(f"911101059{i:08d}")
                )
            )
        self.agencies = agencies
        self.bureau = User.objects.filter(role=Role.BUREAU, is_active=True).order_by("id").first()
        if self.bureau is None:
            self.bureau = User.objects.create(
                username=f"{PREFIX}bureau",
                role=Role.BUREAU,
                full_name="区经信局（规模测试）",
                password=password,
            )
        self.admins, self.experts = {}, {}
        for agency in agencies:
            admin = User.objects.filter(role=Role.AGENCY_ADMIN, agency=agency).order_by("id").first()
            if admin is None:
                admin = User.objects.create(
                    username=f"{PREFIX}admin-{agency.pk}", role=Role.AGENCY_ADMIN, agency=agency,
                    full_name=f"{agency.name}管理员", password=password,
                )  # fmt: skip
            experts = list(User.objects.filter(role=Role.EXPERT, agency=agency).order_by("id"))
            for k in range(len(experts), 6):
                experts.append(
                    User.objects.create(
                        username=f"{PREFIX}expert-{agency.pk}-{k}",
                        role=Role.EXPERT,
                        agency=agency,
                        full_name=f"规模专家{agency.pk}-{k}",
                        password=password,
                    )  # fmt: skip
                )
            self.admins[agency.pk], self.experts[agency.pk] = admin, experts
        self.password = password

    def enterprises(self):
        industries = [code for code, _label in Industry.choices]
        start = Enterprise.objects.count()
        ents, roster = [], []
        for i in range(self.n):
            code = make_credit_code(f"911101139{start + i:08d}")
            name = f"规模测试企业{start + i:06d}"
            created = self.now - datetime.timedelta(days=self.rng.randint(30, 700))
            ents.append(
                Enterprise(
                    credit_code=code,
                    name=name,
                    industry=self.rng.choice(industries),
                    address=f"北京市顺义区规模路{i % 999 + 1}号",
                    legal_representative="王规模",
                    employees=self.rng.randint(10, 900),
                    revenue=Decimal(self.rng.randint(500, 90000)),
                    total_assets=Decimal(self.rng.randint(500, 90000)),
                    contact_name="李联系",
                    contact_mobile="13800138000",
                    contact_email=f"scale{start + i}@example.com",
                    verified_at=created,
                    created_at=created,
                    updated_at=created,
                )  # fmt: skip
            )
            roster.append(RosterEntry(credit_code=code, name=name, added_by=self.bureau, added_at=created))
        with given_times(Enterprise, RosterEntry):
            self.ents = Enterprise.objects.bulk_create(ents, batch_size=BATCH)
            RosterEntry.objects.bulk_create(roster, batch_size=BATCH)
        staff = [
            User(
                username=f"{PREFIX}ent-{e.pk}",
                role=Role.ENTERPRISE,
                enterprise=e,
                full_name="企业填报人",
                email=e.contact_email,
                email_confirmed_at=e.created_at,
                password=self.password,
                date_joined=e.created_at,
            )  # fmt: skip
            for e in self.ents
        ]
        self.staff = {u.enterprise_id: u for u in User.objects.bulk_create(staff, batch_size=BATCH)}
        self.say(f"{len(self.ents)} enterprises, their roster entries and staff")

    # ---- cases -------------------------------------------------------------------------------------

    def cases(self):
        pool = variants(self.rng)
        states = [s for s, weight in STATES for _ in range(weight)]
        year = timezone.localdate().year
        first_serial = numbering.next_serial(
            APPLICATION_SERIES,
            year,
            existing=lambda: numbering.highest_serial(Application.objects.all(), "number", f"SY{year}-"),
        )
        self.plan = []
        assessments = []
        for i, ent in enumerate(self.ents):
            v = pool[self.rng.randrange(len(pool))]
            state = self.rng.choice(states)
            if state in {S.APPROVED, S.REVOKED, S.PROPOSED} and v["level"] < 2:
                v = next(p for p in pool if p["level"] >= 2)
            created = ent.created_at + datetime.timedelta(days=self.rng.randint(1, 20))
            self.plan.append(
                {"ent": ent, "v": v, "state": state, "created": created, "serial": first_serial + i}
            )
            assessments.append(
                Assessment(
                    enterprise=ent,
                    edition=EDITION,
                    answers=v["answers"],
                    scenarios=v["scenarios"],
                    data={},
                    score=v["score"],
                    level=v["level"],
                    revision=16,
                    created_at=created,
                    updated_at=created,
                    updated_by=self.staff[ent.pk],
                )  # fmt: skip
            )
        with given_times(Assessment):
            assessments = Assessment.objects.bulk_create(assessments, batch_size=BATCH)
        numbering.catch_up(APPLICATION_SERIES, year, first_serial + len(self.plan) - 1)
        apps = []
        for p, a in zip(self.plan, assessments, strict=True):
            p["assessment"] = a
            state, created = p["state"], p["created"]
            steps = PATH[state]
            times = [
                created + datetime.timedelta(days=2 * k + self.rng.random()) for k in range(1, len(steps) + 1)
            ]
            times = [min(t, self.now - datetime.timedelta(minutes=5)) for t in times]
            p["times"] = times
            agency = self.rng.choice(self.agencies) if state in WITH_AGENCY else None
            p["agency"] = agency
            submitted = times[0] if steps else None
            changed = times[-1] if times else created
            due = {}
            if agency is not None:
                commissioned = times[2]
                late = self.rng.random() < 0.25 and state in {S.ASSIGNED, S.IN_REVIEW, S.ON_SITE}
                shift = -40 if late else 20
                due = {
                    "review_due": timezone.localdate(commissioned) + datetime.timedelta(days=15 + shift),
                    "site_due": timezone.localdate(commissioned) + datetime.timedelta(days=30 + shift),
                    "proposal_due": timezone.localdate(commissioned) + datetime.timedelta(days=45 + shift),
                }
                if not late and state in {S.ASSIGNED, S.IN_REVIEW, S.ON_SITE}:
                    due = {
                        k: max(v, timezone.localdate() + datetime.timedelta(days=5)) for k, v in due.items()
                    }
            apps.append(
                Application(
                    number=f"SY{year}-{p['serial']:04d}",
                    enterprise=p["ent"],
                    kind="initial",
                    assessment=a,
                    state=state,
                    state_changed_at=changed,
                    self_level=a.level,
                    pledge_at=submitted,
                    submitted_at=submitted,
                    agency=agency,
                    created_at=created,
                    paper_status="received" if len(steps) >= 2 and steps[1] == "accept" else "pending",
                    paper_received_on=timezone.localdate(times[1])
                    if len(steps) >= 2 and steps[1] == "accept"
                    else None,
                    **due,
                )  # fmt: skip
            )
        with given_times(Application):
            apps = Application.objects.bulk_create(apps, batch_size=BATCH)
        for p, app in zip(self.plan, apps, strict=True):
            p["app"] = app
        self.say(f"{len(apps)} assessments and applications")
        self.versions_and_evidence()
        self.teams_and_proposals()
        self.grades()

    def versions_and_evidence(self):
        sha = hashlib.sha256(EVIDENCE_PDF).hexdigest()
        name = f"evidence/scale/{sha}"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(EVIDENCE_PDF))
        self.evidence_file = name
        evidence = []
        for p in self.plan:
            for target in ("Q2", "S01.1")[: 1 + p["serial"] % 2]:
                evidence.append(
                    Evidence(
                        assessment=p["assessment"],
                        target=target,
                        file=name,
                        original_name=f"{target}佐证.pdf",
                        content_type="application/pdf",
                        size=len(EVIDENCE_PDF),
                        sha256=sha,
                        uploaded_by=self.staff[p["ent"].pk],
                        uploaded_at=p["created"],
                    )  # fmt: skip
                )
        with given_times(Evidence):
            evidence = Evidence.objects.bulk_create(evidence, batch_size=BATCH)
        by_assessment = {}
        for e in evidence:
            by_assessment.setdefault(e.assessment_id, []).append(
                {"id": e.pk, "target": e.target, "name": e.original_name, "sha256": sha, "size": e.size}
            )
        versions = []
        for p in self.plan:
            p["evidence"] = by_assessment.get(p["assessment"].pk, [])
            if p["state"] in SUBMITTED:
                ent = p["ent"]
                versions.append(
                    ApplicationVersion(
                        application=p["app"],
                        number=1,
                        edition=EDITION,
                        answers=p["v"]["answers"],
                        scenarios=p["v"]["scenarios"],
                        data={},
                        result=p["v"]["result"],
                        evidence=p["evidence"],
                        profile={"name": ent.name, "credit_code": ent.credit_code, "industry": ent.industry},
                        pledge_at=p["times"][0],
                        submitted_at=p["times"][0],
                        submitted_by=self.staff[ent.pk],
                    )  # fmt: skip
                )
        ApplicationVersion.objects.bulk_create(versions, batch_size=BATCH)
        self.say(f"{len(evidence)} evidence rows, {len(versions)} submitted versions")

    def teams_and_proposals(self):
        teams, plans = [], []
        for p in self.plan:
            if p["agency"] is not None:
                teams.append(
                    Team(
                        application=p["app"],
                        agency=p["agency"],
                        purpose=TeamPurpose.REVIEW,
                        created_by=self.admins[p["agency"].pk],
                        created_at=p["times"][2],
                    )  # fmt: skip
                )
                plans.append(p)
        with given_times(Team):
            teams = Team.objects.bulk_create(teams, batch_size=BATCH)
        members, proposals = [], []
        for p, team in zip(plans, teams, strict=True):
            p["team"] = team
            experts = self.experts[p["agency"].pk]
            lead, member = self.rng.sample(experts, 2)
            declared = p["times"][2] + datetime.timedelta(hours=3)
            for expert, role in ((lead, MemberRole.LEAD), (member, MemberRole.MEMBER)):
                members.append(
                    TeamMember(
                        team=team,
                        expert=expert,
                        role=role,
                        declared_at=declared,
                        conflict=ConflictKind.NONE,
                        due_on=p["app"].review_due,
                        confirmed_at=p["times"][5] if p["state"] in PROPOSED else None,
                    )  # fmt: skip
                )
            if p["state"] in PROPOSED:
                r = p["v"]["result"]
                proposals.append(
                    Proposal(
                        application=p["app"],
                        team=team,
                        level=r["level"],
                        score=Decimal(r["score"]),
                        opinion="资料齐全，现场查验属实。",
                        self_result=r,
                        verified_result=r,
                        comparison={
                            "totals": {
                                "self_score": r["score"],
                                "verified_score": r["score"],
                                "self_level": r["level"],
                                "verified_level": r["level"],
                            }
                        },
                        submitted_at=p["times"][5],
                        submitted_by=self.admins[p["agency"].pk],
                    )  # fmt: skip
                )
        TeamMember.objects.bulk_create(members, batch_size=BATCH)
        Proposal.objects.bulk_create(proposals, batch_size=BATCH)
        self.say(f"{len(teams)} teams, {len(members)} members, {len(proposals)} proposals")

    def grades(self):
        year = timezone.localdate().year
        graded = [p for p in self.plan if p["state"] in {S.APPROVED, S.REVOKED}]
        first = numbering.next_serial(
            CERTIFICATE_SERIES,
            year,
            existing=lambda: numbering.highest_serial(
                Grade.objects.all(), "certificate_number", f"{CERTIFICATE_PREFIX}-{year}-"
            ),
        )
        grades = []
        for k, p in enumerate(graded):
            r, ent = p["v"]["result"], p["ent"]
            revoked = p["times"][7] if p["state"] == S.REVOKED else None
            grades.append(
                Grade(
                    application=p["app"],
                    enterprise=ent,
                    holder_name=ent.name,
                    holder_credit_code=ent.credit_code,
                    edition=EDITION,
                    level=r["level"],
                    score=Decimal(r["score"]),
                    certificate_number=f"{CERTIFICATE_PREFIX}-{year}-{first + k:04d}",
                    approved_at=p["times"][6],
                    approved_by=self.bureau,
                    revoked_at=revoked,
                    revoked_reason="抽验发现材料不实" if revoked else "",
                    revoked_basis="第十二条" if revoked else "",
                    **p["v"]["figures"],
                )  # fmt: skip
            )
        Grade.objects.bulk_create(grades, batch_size=BATCH)
        numbering.catch_up(CERTIFICATE_SERIES, year, first + len(grades) - 1)
        rebuild_tally()  # the dashboard's running totals, from the grades just written
        self.say(f"{len(grades)} grades")

    # ---- the audit trail ---------------------------------------------------------------------------

    def audit(self):
        """The trail of every case, in time order, chained from the newest event already there."""
        chain.lock()
        last = AuditEvent.objects.order_by("-id").only("hash").first()
        self.prev_hash = last.hash if last is not None else chain.GENESIS
        identity = {}

        def who(user):
            if user.pk not in identity:
                org = (
                    user.enterprise.name
                    if user.enterprise_id
                    else (user.agency.name if user.agency_id else "")
                )
                identity[user.pk] = {"username": user.username, "name": user.full_name, "role": user.role,
                                     "organisation": org}  # fmt: skip
            return identity[user.pk]

        raw = []
        for p in self.plan:
            app, staff = p["app"], self.staff[p["ent"].pk]
            ent_who = {"username": staff.username, "name": staff.full_name, "role": staff.role,
                       "organisation": p["ent"].name}  # fmt: skip
            case = ("assessments.application", app.pk)
            raw.append((p["created"], staff.pk, ent_who, "application.create", app, case,
                        {"number": app.number, "application_kind": "initial"}))  # fmt: skip
            for e in p["evidence"]:
                raw.append((p["created"], staff.pk, ent_who, "evidence.upload", app, ("assessments.evidence", e["id"]),
                            {"target": e["target"], "name": e["name"], "sha256": e["sha256"]}))  # fmt: skip
            state = S.DRAFT
            for step, at in zip(PATH[p["state"]], p["times"], strict=True):
                target = _target(step, state)
                if step in {"submit", "withdraw"}:
                    actor, snap = staff.pk, ent_who
                elif step in {"start_review", "start_site_visit", "propose"}:
                    admin = self.admins[p["agency"].pk]
                    actor, snap = admin.pk, who(admin)
                else:
                    actor, snap = self.bureau.pk, who(self.bureau)
                raw.append((at, actor, snap, f"application.{step}", app, case,
                            {"from": state, "to": target, "reason": ""}))  # fmt: skip
                state = target
        raw.sort(key=lambda r: r[0])
        total = 0
        for start in range(0, len(raw), BATCH):
            batch = []
            for at, actor, snap, action, app, (object_type, object_id), params in raw[start : start + BATCH]:
                event = AuditEvent(
                    at=at.astimezone(datetime.UTC), actor_id=actor, actor_snapshot=snap, action=action,
                    object_type=object_type, object_id=str(object_id), application_id=app.pk,
                    detail=params, client_address="10.0.0.8", prev_hash=self.prev_hash,
                )  # fmt: skip
                event.hash = chain.digest(event)
                self.prev_hash = event.hash
                batch.append(event)
            AuditEvent.objects.bulk_create(batch)
            total += len(batch)
        self.say(f"{total} audit events, chained")

    def sample(self):
        """A re-check sample (抽验) drawn by the bureau's own service, its members given to other agencies."""
        from supervision.services import assign_recheck_agency, draw_sample

        size = max(1, min(200, self.n // 500))
        sample = draw_sample(by=self.bureau, population_filter={}, size=size, seed=self.rng.randrange(10**9))
        rechecks = list(sample.rechecks.select_related("grade__application"))
        for r in rechecks[: len(rechecks) // 2]:
            other = next(a for a in self.agencies if a.pk != r.grade.application.agency_id)
            assign_recheck_agency(recheck=r, agency=other, by=self.bureau)
        self.say(f"a sample of {len(rechecks)} grades")

    def seed(self):
        with transaction.atomic():
            self.organisations()
            self.enterprises()
            self.cases()
            self.audit()
            self.sample()


def _target(step: str, state: str) -> str:
    from assessments.lifecycle import TRANSITIONS

    return TRANSITIONS[step].target if step in TRANSITIONS else S.REVOKED
