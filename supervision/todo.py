"""Each role's 待办 (issue 11): what the person must do next, as counted groups with where to do it — the box on
their home and the count in the menu. A constant number of queries whatever the number of cases.

The enterprise's list is assessments.selectors.enterprise_todo (one line per request, on its home); its menu
count is the length of that list. This module sits at the top of the layers that hold the work (assessments,
experts, supervision), so it can count them all."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.verification import bureau_queue
from assessments import selectors as enterprise_selectors
from assessments.models import ApplicationState as S
from experts.models import TeamMember
from experts.selectors import agency_open_counts, expert_pending_counts

from . import selectors
from .models import Recheck


def _item(kind: str, text: str, count: int, url: str, action: str) -> dict:
    return {"kind": kind, "text": text, "count": count, "url": url, "action": action}


def bureau_todo() -> list[dict]:
    """Three queries: the cases by state, the re-checks awaiting a decision, the claims to verify."""
    cases = selectors.bureau_applications().aggregate(
        intake=Count("id", filter=Q(state=S.SUBMITTED)), approval=Count("id", filter=Q(state=S.PROPOSED))
    )
    rechecks = (
        Recheck.objects.exclude(outcome="")
        .filter(decision="", grade__revoked_at__isnull=True)
        .aggregate(n=Count("id"), first=Min("sample_id"))
    )
    first = rechecks["first"]
    items = [
        _item("intake", _("待受理的申请"), cases["intake"], reverse("supervision:intake"), _("受理")),
        _item(
            "approval", _("待审定的评测建议"), cases["approval"], reverse("supervision:approvals"), _("审定")
        ),
        _item(
            "recheck",
            _("待作出处理决定的抽验复核"),
            rechecks["n"],
            reverse("supervision:sample", args=[first]) if first else reverse("supervision:samples"),
            _("作出处理决定"),
        ),
        _item(
            "verification",
            _("待核验的企业账号"),
            bureau_queue()[0].count(),
            reverse("supervision:verifications"),
            _("核验"),
        ),
    ]
    return [i for i in items if i["count"]]


EXPERT_PENDING = {
    "declare": (lambda: _("待作利益冲突声明的案件"), lambda: _("声明")),
    "review": (lambda: _("待资料审核的案件"), lambda: _("审核")),
    "inspection": (lambda: _("待现场查验的案件"), lambda: _("查验")),
    "confirm": (lambda: _("待确认专家组意见的案件"), lambda: _("确认")),
}


def expert_todo(user) -> list[dict]:
    counts = dict.fromkeys(EXPERT_PENDING, 0)
    for (pending, state), n in expert_pending_counts(user).items():
        if pending == "review" and state == "on_site":
            pending = "inspection"
        if pending in counts:
            counts[pending] += n
    undeclared = (
        TeamMember.objects.live()
        .filter(expert=user, team__purpose="recheck", declared_at__isnull=True, team__rechecks__outcome="")
        .count()
    )
    counts["declare"] += undeclared
    home = reverse("experts:home")
    items = [
        _item(kind, text(), counts[kind], home, action()) for kind, (text, action) in EXPERT_PENDING.items()
    ]
    return [i for i in items if i["count"]]


def agency_todo(user) -> list[dict]:
    counts = agency_open_counts(user)
    no_team, overdue = counts["no_team"], counts["overdue"]
    rechecks = Recheck.objects.filter(agency_id=user.agency_id, team__isnull=True, outcome="").count()
    home = reverse("experts:home")
    items = [
        _item("team", _("待组建专家组的案件"), no_team, home, _("组建专家组")),
        _item("overdue", _("逾期的评测阶段"), overdue, home, _("查看")),
        _item(
            "recheck_team",
            _("待组建复核专家组的抽验复核"),
            rechecks,
            reverse("recheck:list"),
            _("组建专家组"),
        ),
    ]
    return [i for i in items if i["count"]]


def enterprise_todo(user) -> list[dict]:
    if user.enterprise_id is None:
        return []
    apps = enterprise_selectors.enterprise_applications(user.enterprise)
    return enterprise_selectors.enterprise_todo(apps)


def todo_for(user) -> list[dict]:
    """The user's 待办 groups (the enterprise's: one line each)."""
    if not user.is_authenticated:
        return []
    if user.role == Role.BUREAU:
        return bureau_todo()
    if user.role == Role.AGENCY_ADMIN:
        return agency_todo(user)
    if user.role == Role.EXPERT:
        return expert_todo(user)
    if user.role == Role.ENTERPRISE:
        return enterprise_todo(user)
    return []
