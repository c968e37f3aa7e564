from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(self, *, notification_id: int) -> bool:
    from .models import Notification

    note = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if note is None or not note.user.email:
        return False
    body = note.body
    if note.link:
        body = f"{body}\n\n{settings.SITE_URL}{note.link}"
    send_mail(note.title, body, None, [note.user.email])
    return True
