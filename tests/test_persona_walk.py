"""Every URL of every app, walked as every persona, from the URL resolver (DESIGN.md §5).

The URLs come from `get_resolver()`, so a new URL is walked without anyone adding it here; but the policy below
must say what each persona gets on it (200/302/403/404/...), and a URL missing from the policy fails the test.
Outsiders get 404 (the object's existence is not leaked), insiders without the right 403, anonymous visitors
are sent to log in (302). POST-only URLs are walked with an empty POST (nothing valid is sent).

The world is built once per module from the demo seeding helpers (experts.demo, accounts.demo, ...) inside a
transaction rolled back at the end; each persona's walk runs in a savepoint of it.
"""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.demo import demo_user, seed_registrations
from accounts.models import AccountClaim, Role
from core.models import BackgroundJob, JobKind
from documents.models import Report, ReportKind
from documents.tasks import render_report
from experts import services as review
from experts.demo import _commissioned, _judge_all, photo, review_enterprise
from experts.models import ConflictKind
from experts.rules import active_team, get_case
from supervision import services as bureau_services
from tests import factories
from tests.supervision import helpers

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PERSONAS = [
    "anonymous",
    "own",  # staff of the enterprise whose case is under review
    "other_enterprise",  # staff of another enterprise (another tenant)
    "cleared",  # the case's lead expert, declared no conflict
    "undeclared",  # on the case's team, not yet declared
    "conflicted",  # declared a conflict: removed from the team
    "off_team",  # an expert of the same agency, not on the team
    "admin",  # the commissioned agency's admin
    "other_admin",  # another agency's admin (it re-checks the graded case)
    "rechecker",  # the re-check team's lead (of the other agency), not yet declared
    "bureau",
]
#: Django's own admin (development only, DEBUG=1) is not one of the project's apps.
NOT_WALKED = {"admin"}


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("persona-walk-media")


@pytest.fixture(autouse=True)
def _eager_tasks_and_test_storage(settings, media):
    """Replaces the suite's per-test media folder: the files of the module's world live in one folder."""
    settings.MEDIA_ROOT = media
    settings.PASSWORD_HASHERS = FAST_HASHER


def _workbook() -> bytes:
    wb = Workbook()
    wb.active.append(["统一社会信用代码", "企业名称"])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def build_world() -> dict:
    bureau = demo_user("demo-bureau", Role.BUREAU, full_name="区经信局审核员")
    agency, other_agency = factories.agency("漫游评测中心"), factories.agency("漫游复核机构")
    admin = demo_user("walk-admin", Role.AGENCY_ADMIN, agency=agency)
    other_admin = demo_user("walk-other-admin", Role.AGENCY_ADMIN, agency=other_agency)
    experts = {
        name: demo_user(f"walk-{name}", Role.EXPERT, agency=agency, full_name=name)
        for name in ("cleared", "undeclared", "conflicted", "off_team")
    }
    rechecker = demo_user("walk-rechecker", Role.EXPERT, agency=other_agency)
    ent, own = review_enterprise(0)
    other_ent = factories.enterprise("漫游外部企业")
    other = demo_user("walk-other-enterprise", Role.ENTERPRISE, enterprise=other_ent)

    # The case under review: commissioned by the bureau, a team of three, on site with a photo.
    app = _commissioned(ent, own, ag=agency, bureau=bureau, stage="in_review")
    lead = experts["cleared"]
    review.form_team(
        application=app,
        by=admin,
        lead=lead,
        members=[experts["undeclared"], experts["conflicted"]],
        due_on=app.proposal_due,
    )
    team = active_team(app)
    for name, kind in (("cleared", ConflictKind.NONE), ("conflicted", ConflictKind.CONSULTING)):
        review.declare(member=team.members.get(expert=experts[name]), by=experts[name], kind=kind)
    from assessments.lifecycle import transition

    transition(app, "start_review", by=admin)
    _judge_all(app, lead)
    case = get_case(lead, app.pk)
    inspection = review.schedule_inspection(
        case=case, by=lead, scheduled_for=timezone.now(), place="车间", attendees="组长"
    )
    transition(app, "start_site_visit", by=lead)
    app.refresh_from_db()
    supplement = review.request_supplement(
        case=get_case(lead, app.pk),
        by=lead,
        codes=["Q2"],
        message="请补充设备台账",
        deadline=timezone.localdate() + timedelta(days=5),
    )
    shot = review.add_photo(
        case=get_case(lead, app.pk), inspection=inspection, by=lead, upload=photo("车间", (200, 120, 60))
    )
    evidence = app.assessment.evidence.filter(removed_at__isnull=True).order_by("pk").first()

    # A graded case of another enterprise (graded by the same agency), sampled and given to the other agency.
    graded = helpers.approved(
        factories.enterprise("漫游认定企业"), agency=agency, admin=admin, bureau=bureau, level=2
    )
    sample = bureau_services.draw_sample(by=bureau, population_filter={}, size=1, seed=11)
    recheck = sample.rechecks.get()
    bureau_services.assign_recheck_agency(recheck=recheck, agency=other_agency, by=bureau)
    bureau_services.form_recheck_team(recheck=recheck, by=other_admin, lead=rechecker)

    # Documents: the case's 自评报告 (rendered by the task, as the worker does), a job, an export.
    render_report.apply(kwargs={"application_id": app.pk, "kind": ReportKind.SELF})
    report = Report.objects.get(application=app, kind=ReportKind.SELF)
    job = BackgroundJob.objects.create(
        kind=JobKind.REPORT, application=app, created_by=own, params={"kind": ReportKind.SELF}
    )
    export = BackgroundJob.objects.create(
        kind=JobKind.EXPORT, created_by=bureau, params={"name": "applications"}
    )
    export.file.save("applications.xlsx", ContentFile(_workbook()))

    # The bureau's things: a roster import, the case's roster entry, a registration waiting for verification.
    imported = bureau_services.import_roster(content=_workbook(), file_name="名单.xlsx", by=bureau)
    seed_registrations(timezone.now())
    claim = AccountClaim.objects.filter(state="pending").order_by("pk").first()
    users = {
        "own": own,
        "other_enterprise": other,
        "admin": admin,
        "other_admin": other_admin,
        "rechecker": rechecker,
        "bureau": bureau,
    }
    return {
        "users": {**users, **experts},
        "app": app,
        "evidence": evidence,
        "photo": shot,
        "supplement": supplement,
        "graded": graded,
        "sample": sample,
        "recheck": recheck,
        "report": report,
        "job": job,
        "export": export,
        "import": imported,
        "claim": claim,
        "notification": own.notifications.order_by("pk").first(),
        "colleague": own,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media):
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


def all_patterns(resolver=None, prefix=""):
    """(qualified name, pattern) of every named URL of the site, from the resolver."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace in NOT_WALKED:
                continue
            yield from all_patterns(p, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}", p


def kwargs_for(name: str, pattern, w: dict) -> dict:
    """A value for every URL argument, from the world: the case under review unless the URL is about another
    kind of thing."""
    from accounts.models import RosterEntry

    app, graded = w["app"], w["graded"]
    by_name = {
        "accounts:claim_decide": {"pk": w["claim"].pk},
        "accounts:claim_document": {"pk": w["claim"].pk},
        "accounts:confirm_email": {"token": "not-a-token"},
        "accounts:enterprise": {"pk": app.enterprise_id},
        "accounts:enterprise_edit": {"pk": app.enterprise_id},
        "accounts:staff": {"pk": app.enterprise_id},
        "accounts:staff_deactivate": {"pk": app.enterprise_id, "user_pk": w["colleague"].pk},
        "accounts:notification_read": {"pk": w["notification"].pk},
        "accounts:notification_open": {"pk": w["notification"].pk},
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "assessments:evidence_download": {"pk": w["evidence"].pk},
        "assessments:evidence_remove": {"pk": w["evidence"].pk},
        "experts:profile": {"user_pk": w["users"]["cleared"].pk},
        "experts:act": {"pk": app.pk, "action": "propose"},
        "experts:review_target": {"pk": app.pk, "code": "Q2"},
        "experts:evidence": {"pk": app.pk, "evidence_pk": w["evidence"].pk},
        "experts:verdict": {"pk": app.pk, "evidence_pk": w["evidence"].pk},
        "experts:photo": {"pk": app.pk, "photo_pk": w["photo"].pk},
        "experts:supplement_reply": {"pk": w["supplement"].pk},
        "supervision:evidence": {"pk": app.pk, "evidence_id": w["evidence"].pk},
        "supervision:photo": {"pk": app.pk, "photo_id": w["photo"].pk},
        "supervision:revoke": {"pk": graded.pk},
        "supervision:roster_import_report": {"pk": w["import"].pk},
        "supervision:roster_import_download": {"pk": w["import"].pk},
        "supervision:roster_entry": {
            "pk": RosterEntry.objects.get(credit_code=app.enterprise.credit_code).pk
        },
        "supervision:sample": {"pk": w["sample"].pk},
        "supervision:recheck_assign": {"pk": w["recheck"].pk},
        "supervision:recheck_decide": {"pk": w["recheck"].pk},
        "supervision:verification": {"pk": w["claim"].pk},
        "supervision:verification_document": {"pk": w["claim"].pk, "field": "authorization_letter"},
        "verify:number": {"number": graded.grade.certificate_number},
        "verify:qr": {"number": graded.grade.certificate_number},
        "recheck:detail": {"pk": w["recheck"].pk},
        "recheck:declare": {"pk": w["recheck"].pk},
        "documents:download": {"pk": w["report"].pk},
        "documents:job": {"pk": w["job"].pk},
        "documents:job_status": {"pk": w["job"].pk},
        "documents:export": {"name": "applications"},
        "documents:export_download": {"pk": w["export"].pk},
        "api:application": {"number": app.number},
        "api:grade_detail": {"certificate_number": graded.grade.certificate_number},
    }
    if name in by_name:
        return by_name[name]
    args = set(pattern.pattern.converters)
    assert args <= {"pk"}, f"{name}: say in kwargs_for() which object its {sorted(args)} name"
    return {"pk": app.pk} if args else {}


# --- the policy --------------------------------------------------------------------------------------------
# One row per URL: what each persona gets. `row(default, **exceptions)`; anonymous visitors default to 302 (to
# the login page) unless said otherwise. Columns: see PERSONAS.

EXPERTS = ("cleared", "undeclared", "conflicted", "off_team")


def row(default: int, anonymous: int = 302, **exceptions) -> dict:
    out = dict.fromkeys(PERSONAS, default)
    out["anonymous"] = anonymous
    out.update(exceptions)
    return out


POLICY: dict[str, dict] = {
    # site
    "home": row(302, anonymous=200),
    "healthz": row(200, anonymous=200),
    "set_language": row(302),
    # accounts
    "accounts:register": row(302, anonymous=200),
    "accounts:register_done": row(404, own=200, other_enterprise=200),
    "accounts:confirm_email": row(400, anonymous=400),
    "accounts:resend_confirmation": row(302),
    "accounts:verification": row(404, own=200, other_enterprise=200),
    "accounts:request_access": row(302, anonymous=200),
    "accounts:claim_decide": row(404, bureau=302),
    "accounts:claim_document": row(404, bureau=200),
    "accounts:login": row(302, anonymous=200),
    "accounts:logout": row(302),
    "accounts:password_change": row(200),
    "accounts:password_change_done": row(200),
    "accounts:password_reset": row(200, anonymous=200),
    "accounts:password_reset_done": row(200, anonymous=200),
    "accounts:password_reset_confirm": row(200, anonymous=200),
    "accounts:password_reset_complete": row(200, anonymous=200),
    "accounts:profile": row(200),
    "accounts:my_enterprise": row(404, own=302, other_enterprise=302),
    "accounts:enterprise": row(404, own=200, bureau=200),
    "accounts:enterprise_edit": row(404, own=200, bureau=403),
    "accounts:staff": row(404, own=200, bureau=403),
    "accounts:staff_deactivate": row(404, own=302, bureau=403),
    "accounts:notifications": row(200),
    "accounts:notifications_read_all": row(302),
    "accounts:notification_read": row(404, own=302),
    "accounts:notification_open": row(404, own=302),
    # assessments
    "assessments:home": row(404, own=200, other_enterprise=200),
    "assessments:questionnaire": row(404, own=200, other_enterprise=200),
    "assessments:save_field": row(404, own=200, other_enterprise=200),
    "assessments:evidence_upload": row(404, own=302, other_enterprise=302),
    "assessments:evidence_remove": row(404, own=302),
    "assessments:evidence_download": row(404, own=200, cleared=200, undeclared=403, admin=403, bureau=200),
    "assessments:application_start": row(404, own=302, other_enterprise=302),
    "assessments:application": row(
        200,
        other_enterprise=404,
        undeclared=403,
        conflicted=404,
        off_team=404,
        other_admin=404,
        rechecker=404,
    ),
    "assessments:application_submit": row(404, own=302),
    "assessments:application_withdraw": row(404, own=200),
    "assessments:application_diff": row(404, undeclared=403),
    "assessments:application_paper_sheet": row(404, own=200),
    # experts
    "experts:home": row(200, own=404, other_enterprise=404, bureau=404),
    "experts:finished": row(200, own=404, other_enterprise=404, bureau=404),
    "experts:experts": row(404, admin=200, other_admin=200),
    "experts:profile": row(404, cleared=200, admin=200),
    "experts:draft": row(400, own=404, other_enterprise=404, bureau=404),
    "experts:case": row(404, cleared=200, undeclared=302, admin=200),
    "experts:team": row(404, admin=200),
    "experts:declare": row(404, cleared=200, undeclared=200),
    "experts:act": row(404, cleared=302, undeclared=302, admin=302),
    "experts:review": row(404, cleared=200, undeclared=302),
    "experts:review_target": row(404, cleared=200, undeclared=302),
    "experts:evidence": row(404, cleared=200, undeclared=403, admin=403),
    "experts:verdict": row(404, cleared=302, undeclared=302),
    "experts:supplements": row(404, cleared=200, undeclared=302),
    "experts:inspection": row(404, cleared=200, undeclared=302),
    "experts:photo": row(404, cleared=200, undeclared=403, admin=403),
    "experts:compare": row(404, cleared=200, undeclared=302, admin=200),
    "experts:enterprise_supplements": row(404, own=200, other_enterprise=200),
    "experts:supplement_reply": row(404, own=200),
    # supervision
    "supervision:home": row(404, bureau=200),
    "supervision:export_matrix": row(404, bureau=200),
    "supervision:roster": row(404, bureau=200),
    "supervision:roster_import": row(404, bureau=400),
    "supervision:roster_import_report": row(404, bureau=200),
    "supervision:roster_import_download": row(404, bureau=200),
    "supervision:roster_template": row(404, bureau=200),
    "supervision:roster_entry": row(404, bureau=200),
    "supervision:applications": row(404, bureau=200),
    "supervision:application": row(404, bureau=200),
    "supervision:accept": row(404, bureau=400),
    "supervision:refuse": row(404, bureau=400),
    "supervision:return_for_correction": row(404, bureau=400),
    "supervision:commission": row(404, bureau=400),
    "supervision:reassign": row(404, bureau=400),
    "supervision:approve": row(404, bureau=400),
    "supervision:return_to_agency": row(404, bureau=400),
    "supervision:revoke": row(404, bureau=200),
    "supervision:evidence": row(404, bureau=200),
    "supervision:photo": row(404, bureau=200),
    "supervision:intake": row(404, bureau=200),
    "supervision:commissioning": row(404, bureau=200),
    "supervision:approvals": row(404, bureau=200),
    "supervision:grades": row(404, bureau=200),
    "supervision:samples": row(404, bureau=200),
    "supervision:sample": row(404, bureau=200),
    "supervision:recheck_assign": row(404, bureau=302),
    "supervision:recheck_decide": row(404, bureau=200),
    "supervision:audit": row(404, bureau=200),
    "supervision:lockouts": row(404, bureau=200),
    "supervision:unlock": row(404, bureau=302),
    "supervision:verifications": row(404, bureau=200),
    "supervision:paper_instructions": row(404, bureau=200),
    "supervision:verification": row(404, bureau=200),
    "supervision:verification_document": row(404, bureau=200),
    # verify
    "verify:verify": row(200, anonymous=200),
    "verify:number": row(200, anonymous=200),
    "verify:qr": row(200, anonymous=200),
    # recheck
    "recheck:list": row(200, own=404, other_enterprise=404, bureau=404),
    "recheck:detail": row(404, other_admin=200, rechecker=302),
    "recheck:declare": row(404, other_admin=403, rechecker=200),
    # documents
    "documents:case_reports": row(
        200,
        other_enterprise=404,
        undeclared=403,
        conflicted=404,
        off_team=404,
        other_admin=404,
        rechecker=404,
    ),
    "documents:generate": row(404, own=302, cleared=403, undeclared=403, admin=403, bureau=302),
    "documents:download": row(404, own=200, cleared=403, undeclared=403, admin=403, bureau=200),
    "documents:job": row(404, own=200, bureau=200),
    "documents:job_status": row(404, own=200, bureau=200),
    "documents:export": row(302),
    "documents:export_download": row(404, bureau=200),
    # api: a token authenticates, never a session (tests/api walk the tokens); the schema and docs are public
    "api:api-root": row(404, anonymous=404),
    "api:openapi-json": row(200, anonymous=200),
    "api:openapi-view": row(200, anonymous=200),
    "api:grade": row(401, anonymous=401),
    "api:applications": row(401, anonymous=401),
    "api:application": row(401, anonymous=401),
    "api:grades": row(401, anonymous=401),
    "api:grade_detail": row(401, anonymous=401),
    "api:statistics": row(401, anonymous=401),
    "api_tokens:list": row(404, bureau=200),
    "api_tokens:revoke": row(404),
}
#: URLs that answer POST only (GET: 405 for everyone): walked with an empty POST.
POST_ONLY = {
    "accounts:resend_confirmation",
    "accounts:claim_decide",
    "accounts:logout",
    "accounts:staff_deactivate",
    "accounts:notifications_read_all",
    "accounts:notification_read",
    "assessments:save_field",
    "assessments:evidence_upload",
    "assessments:evidence_remove",
    "assessments:application_start",
    "assessments:application_submit",
    "assessments:application_withdraw",
    "experts:draft",
    "experts:act",
    "experts:verdict",
    "supervision:roster_import",
    "supervision:accept",
    "supervision:refuse",
    "supervision:return_for_correction",
    "supervision:commission",
    "supervision:reassign",
    "supervision:approve",
    "supervision:return_to_agency",
    "supervision:recheck_assign",
    "supervision:unlock",
    "documents:generate",
    "documents:export",
    "api:grade",
    "api_tokens:revoke",
}


#: What an empty POST would not say: the report kind asked for.
POST_DATA = {"documents:generate": {"kind": ReportKind.SELF}}


def _observed(client, name, method, url) -> int:
    return getattr(client, method)(url, POST_DATA.get(name, {})).status_code


def client_for(user) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def walk_urls(world):
    out = []
    for name, pattern in all_patterns():
        method = "post" if name in POST_ONLY else "get"
        out.append((name, method, reverse(name, kwargs=kwargs_for(name, pattern, world))))
    return out


def test_every_url_is_in_the_policy(world):
    names = {name for name, _p in all_patterns()}
    assert names - set(POLICY) == set(), "add these URLs to the persona walk's POLICY"
    assert set(POLICY) - names == set(), "these URLs are gone: drop them from POLICY"
    assert {"recheck:list", "recheck:detail"} <= names
    assert sum(n.startswith("documents:") for n in names) >= 7


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_walk(world, persona, db):
    user = None if persona == "anonymous" else world["users"][persona]
    c = client_for(user)
    got = {}
    for name, method, url in walk_urls(world):
        if name == "accounts:logout":
            got[name] = _observed(client_for(user), name, method, url)  # its own session: the walk goes on
            continue
        got[name] = _observed(c, name, method, url)
    wrong = {name: (status, POLICY[name][persona]) for name, status in got.items() if name in POLICY}
    wrong = {name: f"got {a}, policy {b}" for name, (a, b) in wrong.items() if a != b}
    assert wrong == {}, persona
