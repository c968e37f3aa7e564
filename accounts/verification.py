"""Who may speak for an enterprise (issue 10 point 6).

The first account of a credit code registers the enterprise unverified; its registrant uploads the 营业执照 and a
授权委托书 and the bureau approves (the enterprise is verified: it may submit applications) or refuses with a
reason. A second claimant of an already claimed code asks for access with a 授权委托书: their account stays
inactive until the enterprise's confirmed staff or the bureau decide. Every step is audited and the claimant is
told. Refusals raise ValidationError / PermissionDenied before anything is written.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record
from core.files import serve_private_file
from core.queue import enqueue

from .credit_code import normalise
from .models import AccountClaim, ClaimKind, ClaimState, Enterprise, Role, User
from .notify import notify
from .rules import confirmed_staff_of, is_bureau, is_enterprise_user
from .tasks import send_account_email


def _store(claim: AccountClaim, field: str, upload) -> None:
    getattr(claim, field).save(upload.name, upload, save=False)
    setattr(claim, f"{field}_name", (upload.name or "")[:200])


# --- Reads ---------------------------------------------------------------------------------------------------


def latest_registration_claim(enterprise: Enterprise) -> AccountClaim | None:
    return enterprise.claims.filter(kind=ClaimKind.REGISTRATION).order_by("-created_at", "-id").first()


def can_decide_access(user, enterprise: Enterprise) -> bool:
    """The enterprise's confirmed staff: active, e-mail confirmed, of a verified enterprise."""
    return confirmed_staff_of(user, enterprise)


def visible_claims(user):
    """The account claims `user` may know exist: the bureau every claim; an enterprise's staff the access
    requests to their own enterprise (deciding one is `accounts.decide_access_request`); anyone else none."""
    if is_bureau(user):
        return AccountClaim.objects.select_related("enterprise", "user")
    if is_enterprise_user(user):
        return AccountClaim.objects.select_related("enterprise", "user").filter(
            kind=ClaimKind.ACCESS, enterprise_id=user.enterprise_id
        )
    return AccountClaim.objects.none()


def bureau_queue():
    """Pending claims first (oldest first), then the recently decided ones."""
    pending = AccountClaim.objects.filter(state=ClaimState.PENDING).order_by("created_at", "id")
    decided = AccountClaim.objects.exclude(state=ClaimState.PENDING).order_by("-decided_at", "-id")
    related = ("enterprise", "user", "decided_by")
    return pending.select_related(*related), decided.select_related(*related)[:30]


def pending_access_requests(enterprise: Enterprise):
    return enterprise.claims.filter(kind=ClaimKind.ACCESS, state=ClaimState.PENDING).select_related("user")


def serve_document(request, *, claim: AccountClaim, field: str):
    """One of the claim's private files, to someone the view let through; audited, never cached."""
    stored = getattr(claim, field)
    if field not in ("business_licence", "authorization_letter") or not stored:
        raise Http404
    record(
        actor=request.user,
        action="enterprise.claim_document_viewed",
        obj=claim.enterprise,
        params={
            "claim": claim.pk,
            "field": field,
            "name": claim.enterprise.name,
            "file": getattr(claim, f"{field}_name"),
        },
    )
    name = getattr(claim, f"{field}_name") or stored.name.rsplit("/", 1)[-1]
    return serve_private_file(stored, filename=name)


# --- Writes --------------------------------------------------------------------------------------------------


@transaction.atomic
def submit_registration_documents(*, by: User, business_licence, authorization_letter) -> AccountClaim:
    """The registrant of an unverified enterprise uploads its 营业执照 and 授权委托书 for the bureau."""
    enterprise = Enterprise.objects.select_for_update().get(pk=by.enterprise_id) if by.enterprise_id else None
    if enterprise is None or not by.is_enterprise or not by.is_active:
        raise PermissionDenied
    if enterprise.is_verified:
        raise ValidationError(_("贵企业已通过核验，无需再次提交材料。"), code="verified")
    if enterprise.claims.filter(kind=ClaimKind.REGISTRATION, state=ClaimState.PENDING).exists():
        raise ValidationError(_("材料已提交，正在等待区经信局核验。"), code="pending")
    claim = AccountClaim(enterprise=enterprise, user=by, kind=ClaimKind.REGISTRATION)
    _store(claim, "business_licence", business_licence)
    _store(claim, "authorization_letter", authorization_letter)
    claim.save()
    record(
        actor=by,
        action="enterprise.verification_requested",
        obj=enterprise,
        params={"claim": claim.pk, "name": enterprise.name, "credit_code": enterprise.credit_code},
    )
    return claim


@transaction.atomic
def request_access(
    *,
    credit_code: str,
    username: str,
    password: str,
    full_name: str,
    mobile: str,
    email: str,
    authorization_letter,
    note: str = "",
) -> AccountClaim:
    """A second claimant of a registered credit code asks to join it; their account is inactive until decided."""
    enterprise = Enterprise.objects.filter(credit_code=normalise(credit_code)).first()
    if enterprise is None:
        raise ValidationError(
            {"credit_code": _("该统一社会信用代码尚未注册，请直接进行企业注册。")}, code="unknown"
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("该用户名已被使用。")}, code="duplicate")
    user = User(
        username=username,
        role=Role.ENTERPRISE,
        enterprise=enterprise,
        full_name=full_name,
        mobile=mobile,
        email=email,
        is_active=False,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"username": _("该用户名已被使用。")}, code="duplicate") from None
    claim = AccountClaim(enterprise=enterprise, user=user, kind=ClaimKind.ACCESS, note=note)
    _store(claim, "authorization_letter", authorization_letter)
    claim.save()
    record(
        actor=None,
        action="enterprise.access_requested",
        obj=enterprise,
        params={"claim": claim.pk, "user": username, "email": email, "name": enterprise.name},
    )
    if enterprise.is_verified:
        deciders = [u for u in enterprise.staff.filter(is_active=True) if can_decide_access(u, enterprise)]
        notify(
            deciders,
            title=_("有人申请加入贵企业：%s") % full_name,
            body=_("%(name)s（%(username)s）申请以贵企业员工身份使用平台，请在“员工账号”页面核实后处理。")
            % {"name": full_name, "username": username},
            link=f"/accounts/enterprise/{enterprise.pk}/staff/",
        )
    return claim


@transaction.atomic
def decide_claim(*, claim: AccountClaim, by: User, approve: bool, reason: str = "") -> AccountClaim:
    """Approve or refuse (with a reason) a pending claim. Registrations: the bureau only. Access requests: the
    bureau or the enterprise's confirmed staff."""
    claim = AccountClaim.objects.select_for_update().select_related("enterprise", "user").get(pk=claim.pk)
    allowed = by.is_authenticated and by.is_active and by.is_bureau
    if claim.kind == ClaimKind.ACCESS and not allowed:
        allowed = can_decide_access(by, claim.enterprise) and by.pk != claim.user_id
    if not allowed:
        raise PermissionDenied
    if not claim.is_pending:
        raise ValidationError(_("该申请已处理。"), code="decided")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("请填写未通过的原因。")}, code="reason")
    now = timezone.now()
    claim.state = ClaimState.APPROVED if approve else ClaimState.REFUSED
    claim.reason, claim.decided_by, claim.decided_at = ("" if approve else reason), by, now
    claim.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    enterprise, claimant = claim.enterprise, claim.user
    values = {"name": enterprise.name, "user": claimant.username, "reason": reason}
    if claim.kind == ClaimKind.REGISTRATION:
        if approve:
            Enterprise.objects.filter(pk=enterprise.pk).update(verified_at=now)
            title = _("贵企业已通过区经信局核验")
            body = _("贵企业（%(name)s）的注册已通过核验，现在可以提交评测申请。")
        else:
            title = _("贵企业的核验未通过")
            body = _("贵企业（%(name)s）的注册未通过核验，原因：%(reason)s。请在“企业核验”页面重新上传材料。")
        notify([claimant], title=title, body=body % values, link="/accounts/verification/")
    else:
        if approve:
            User.objects.filter(pk=claimant.pk).update(is_active=True)
        enqueue(
            send_account_email,
            kind="access_approved" if approve else "access_refused",
            user_id=claimant.pk,
            address=claimant.email,
        )
    record(
        actor=by,
        action="enterprise.claim_approved" if approve else "enterprise.claim_refused",
        obj=enterprise,
        params={
            "claim": claim.pk,
            "kind": claim.kind,
            "user": claimant.username,
            "name": enterprise.name,
            "reason": claim.reason,
        },
    )
    return claim
