"""Account pages: registration, e-mail confirmation, profile, the enterprise's profile and staff, notifications.

Views are small: access through `selectors`, writes through `services`.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services, verification
from .access import get_for, permission_required
from .forms import (
    AccessRequestForm,
    ClaimDecisionForm,
    ColleagueForm,
    EnterpriseForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetForm,
    VerificationDocumentsForm,
)

NOTIFICATIONS_PER_PAGE = 30
RESEND_INTERVAL = 60  # seconds between two resends of the confirmation link


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _form_errors_from(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: per field where it names one, else on the whole form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Registration and e-mail confirmation --------------------------------------------------------------------


def register(request):
    """企业注册 (public)."""
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.register_enterprise(**form.service_kwargs())
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("accounts:register_done")
    return render(request, "accounts/register.html", {"form": form})


@permission_required("accounts.enterprise_staff")
def register_done(request):
    return render(request, "accounts/register_done.html", {"enterprise": request.user.enterprise})


def confirm_email(request, token):
    """The link from the confirmation e-mail; works without signing in (it may be opened on another device)."""
    try:
        user = services.confirm_email(token=token)
    except ValidationError as error:
        return render(request, "accounts/confirm_email.html", {"error": error.messages[0]}, status=400)
    if request.user.is_authenticated and request.user.pk == user.pk:
        request.user.email_confirmed_at = user.email_confirmed_at  # the banner on this very page
    return render(request, "accounts/confirm_email.html", {"confirmed_user": user})


@login_required
@require_POST
def resend_confirmation(request):
    if services.email_confirmed(request.user):
        messages.info(request, _("您的邮箱已确认。"))
    elif not request.user.email:
        messages.error(request, _("请先在个人资料中填写邮箱。"))
    elif not cache.add(f"accounts:confirm-resend:{request.user.pk}", 1, RESEND_INTERVAL):
        messages.warning(request, _("确认邮件刚刚已发送，请稍候一分钟再试。"))
    else:
        services.send_confirmation(user=request.user)
        messages.success(request, _("确认邮件已发送至 %s，请查收。") % request.user.email)
    return redirect(_safe_next(request, reverse("accounts:profile")))


# --- Who speaks for the enterprise (bureau verification, access requests) -------------------------------------


@permission_required("accounts.enterprise_staff")
def verification_page(request):
    """企业核验: the registrant uploads the 营业执照 and 授权委托书; the state of the bureau's check."""
    enterprise = request.user.enterprise
    form = VerificationDocumentsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification.submit_registration_documents(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("材料已提交，区经信局核验后会通知您。"))
            return redirect("accounts:verification")
    return render(
        request,
        "accounts/verification.html",
        {
            "enterprise": enterprise,
            "claim": verification.latest_registration_claim(enterprise),
            "form": form,
        },
    )


def request_access(request):
    """申请加入已注册的企业 (public): a second claimant of a claimed credit code."""
    if request.user.is_authenticated:
        return redirect("home")
    form = AccessRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification.request_access(**form.service_kwargs())
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            return render(request, "accounts/access_requested.html")
    return render(request, "accounts/access_request.html", {"form": form})


@login_required
@require_POST
def claim_decide(request, pk):
    """The enterprise's confirmed staff decide an access request to their enterprise."""
    claim = get_for(
        request, verification.visible_claims(request.user), "accounts.decide_access_request", pk=pk
    )
    form = ClaimDecisionForm(request.POST)
    if form.is_valid():
        try:
            verification.decide_claim(
                claim=claim,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("已处理 %s 的申请。") % claim.user.display_name)
    return redirect("accounts:staff", pk=claim.enterprise_id)


@login_required
def claim_document(request, pk):
    """The 授权委托书 of an access request, for the enterprise's confirmed staff (the bureau has its own view)."""
    claim = get_for(
        request, verification.visible_claims(request.user), "accounts.decide_access_request", pk=pk
    )
    return verification.serve_document(request, claim=claim, field="authorization_letter")


# --- Sign-in, password ---------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new (or, for an added colleague, a first) password from the e-mailed link."""

    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The link reached the user's mailbox: that proves the address as well as a confirmation link would.
        services.mark_email_confirmed(user=form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


# --- The user's own profile ----------------------------------------------------------------------------------


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"full_name": user.full_name, "mobile": user.mobile, "email": user.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_own_profile(user=user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            if user.pending_email:
                messages.success(
                    request,
                    _("个人资料已保存。确认邮件已发送至新邮箱 %s，打开其中的链接后新邮箱生效。")
                    % user.pending_email,
                )
            else:
                messages.success(request, _("个人资料已保存。"))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "enterprise": user.enterprise if user.is_enterprise else None},
    )


# --- The enterprise's profile and staff ----------------------------------------------------------------------


@permission_required("accounts.enterprise_staff")
def my_enterprise(request):
    return redirect("accounts:enterprise", pk=request.user.enterprise_id)


@login_required
def enterprise_detail(request, pk):
    enterprise = get_for(request, selectors.visible_enterprises(request.user), pk=pk)
    can_manage = request.user.has_perm("accounts.manage_enterprise", enterprise)
    return render(
        request,
        "accounts/enterprise_detail.html",
        {"enterprise": enterprise, "can_manage": can_manage, "staff": selectors.staff_of(enterprise)},
    )


@login_required
def enterprise_edit(request, pk):
    enterprise = get_for(
        request, selectors.visible_enterprises(request.user), "accounts.manage_enterprise", pk=pk
    )
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        # The form wrote its values onto `enterprise`; the service compares against the stored row.
        services.update_enterprise(enterprise=enterprise, by=request.user, **fields)
        messages.success(request, _("企业信息已保存。"))
        return redirect("accounts:enterprise", pk=enterprise.pk)
    return render(request, "accounts/enterprise_form.html", {"enterprise": enterprise, "form": form})


@login_required
def staff(request, pk):
    """员工账号: the enterprise's colleagues; add one (they get a set-password link)."""
    enterprise = get_for(
        request, selectors.visible_enterprises(request.user), "accounts.manage_enterprise", pk=pk
    )
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            colleague = services.add_colleague(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("已添加同事 %(name)s，设置密码的链接已发送至 %(email)s。")
                % {"name": colleague.display_name, "email": colleague.email},
            )
            return redirect("accounts:staff", pk=enterprise.pk)
    return render(
        request,
        "accounts/staff.html",
        {
            "enterprise": enterprise,
            # A claimant waiting for a decision is listed under the requests, not as staff.
            "staff": selectors.staff_of(enterprise).exclude(is_active=False, claims__state="pending"),
            "form": form,
            "access_requests": verification.pending_access_requests(enterprise),
            "can_decide": verification.can_decide_access(request.user, enterprise),
        },
    )


@login_required
@require_POST
def staff_deactivate(request, pk, user_pk):
    enterprise = get_for(
        request, selectors.visible_enterprises(request.user), "accounts.manage_enterprise", pk=pk
    )
    colleague = get_for(request, selectors.staff_of(enterprise), pk=user_pk)
    try:
        services.deactivate_colleague(by=request.user, colleague=colleague)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("已停用 %s 的账号。") % colleague.display_name)
    return redirect("accounts:staff", pk=enterprise.pk)


# --- Notifications -------------------------------------------------------------------------------------------


@login_required
def notifications(request):
    page = Paginator(selectors.notifications_for(request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    note = get_for(request, selectors.notifications_for(request.user), pk=pk)
    services.mark_notification_read(user=request.user, notification_id=note.pk)
    return redirect(_safe_next(request, reverse("accounts:notifications")))


@login_required
@require_POST
def notifications_read_all(request):
    count = services.mark_all_notifications_read(user=request.user)
    if count:
        messages.success(request, _("已将 %d 条通知标记为已读。") % count)
    return redirect("accounts:notifications")


@login_required
def notification_open(request, pk):
    """Follow a notification's link; opening it counts as reading it."""
    note = get_for(request, selectors.notifications_for(request.user), pk=pk)
    services.mark_notification_read(user=request.user, notification_id=note.pk)
    # Only links inside this site are followed (allowed_hosts=None admits relative paths only).
    if note.link and url_has_allowed_host_and_scheme(note.link, allowed_hosts=None):
        return redirect(note.link)
    return redirect("accounts:notifications")
