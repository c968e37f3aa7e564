"""Reads for accounts. Every lookup starts from what the asking user may see."""

from .models import Enterprise, Notification, User
from .rules import is_bureau, is_enterprise_user


def visible_enterprises(user):
    """The enterprises `user` may know exist: its own for an enterprise's staff, every one for the bureau (which
    reads a profile but does not change it: `accounts.manage_enterprise`); none for anyone else."""
    if is_bureau(user):
        return Enterprise.objects.all()
    if is_enterprise_user(user):
        return Enterprise.objects.filter(pk=user.enterprise_id)
    return Enterprise.objects.none()


def staff_of(enterprise: Enterprise):
    """The enterprise's staff accounts, active ones first."""
    return User.objects.filter(enterprise=enterprise).order_by("-is_active", "date_joined", "pk")


def notifications_for(user):
    """The user's own notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")
