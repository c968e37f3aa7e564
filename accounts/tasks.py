from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from core.models import TaskReceipt
from core.queue import RETRY_ON, durable_task

from .models import Notification, User


@durable_task(autoretry_for=(OSError, *RETRY_ON))
def send_notification_email(self, *, notification_id: int) -> bool:
    """E-mail one notification, once: a receipt row committed with the send makes a retry a no-op."""

    note = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if note is None or not note.user.email:
        return False
    body = note.body
    if note.link:
        body = f"{body}\n\n{settings.SITE_URL}{note.link}"
    with transaction.atomic():
        _receipt, created = TaskReceipt.objects.get_or_create(key=f"notification-email:{note.pk}")
        if not created:
            return False
        # A failure to send rolls the receipt back, so the retry sends.
        send_mail(note.title, body, None, [note.user.email])
    return True


# The account e-mails (templates/accounts/email/<kind>_subject.txt and <kind>.txt): how to build their link,
# and where they go ("email": the user's address, "pending_email": the new address waiting for confirmation,
# "given": the `address` queued with the message — the old address an e-mail change is announced to).
ACCOUNT_EMAILS = {
    "confirm_email": ("accounts.tokens.confirmation_url", "email"),
    "colleague_invite": ("accounts.tokens.set_password_url", "email"),
    "confirm_new_email": ("accounts.tokens.new_email_confirmation_url", "pending_email"),
    "email_change_notice": ("accounts.tokens.no_link", "given"),
    # A second claimant's request decided (accounts.verification): the account may still be inactive.
    "access_approved": ("accounts.tokens.login_url", "given"),
    "access_refused": ("accounts.tokens.no_link", "given"),
}
SENT_TO_INACTIVE = {"access_refused"}


@durable_task(autoretry_for=(OSError, *RETRY_ON))
def send_account_email(
    self, *, kind: str, user_id: int, invited_by_id: int | None = None, address: str = ""
) -> bool:
    """Render and send one account e-mail. The link is made here, from the user as it is now, so a retry or a
    late run never sends a link for an address the user no longer has. Sent once per queued message: the task
    id is the outbox row's id, and a receipt committed with the send makes a redelivery a no-op."""

    users = User.objects.select_related("enterprise").filter(pk=user_id)
    user = (users if kind in SENT_TO_INACTIVE else users.filter(is_active=True)).first()
    link_builder, recipient = ACCOUNT_EMAILS[kind]
    to = address if recipient == "given" else getattr(user, recipient, "") if user is not None else ""
    if user is None or not to:
        return False
    context = {
        "user": user,
        "enterprise": user.enterprise,
        "invited_by": User.objects.filter(pk=invited_by_id).first() if invited_by_id else None,
        "claim": user.claims.order_by("-id").first(),
        "link": import_string(link_builder)(user),
        "site_url": settings.SITE_URL,
    }
    subject = " ".join(render_to_string(f"accounts/email/{kind}_subject.txt", context).split())
    body = render_to_string(f"accounts/email/{kind}.txt", context)
    with transaction.atomic():
        if self.request.id:
            _receipt, created = TaskReceipt.objects.get_or_create(key=f"account-email:{self.request.id}")
            if not created:
                return False
        send_mail(subject, body, None, [to])
    return True
