from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from shunyi_eval.queue import RETRY_ON, durable_task


@durable_task(autoretry_for=(OSError, *RETRY_ON))
def send_notification_email(self, *, notification_id: int) -> bool:
    """E-mail one notification, once: a receipt row committed with the send makes a retry a no-op."""
    from documents.models import TaskReceipt

    from .models import Notification

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
