"""Notifications: a row in the site for each recipient, and the same text by e-mail after the commit."""

from collections.abc import Iterable

from django.db import transaction

from core.queue import enqueue

from .models import Notification, User
from .tasks import send_notification_email


def notify(users: Iterable[User], *, title: str, body: str = "", link: str = "") -> list[Notification]:
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    if not recipients:
        return []
    with transaction.atomic():
        created = Notification.objects.bulk_create(
            [Notification(user=user, title=title, body=body, link=link) for user in recipients.values()]
        )

    for note in created:
        if recipients[note.user_id].email:
            enqueue(send_notification_email, notification_id=note.pk)
    return created


def notify_enterprise(enterprise, *, title: str, body: str = "", link: str = "") -> list[Notification]:
    return notify(enterprise.staff.filter(is_active=True), title=title, body=body, link=link)
