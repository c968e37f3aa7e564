"""Reads for accounts. Every lookup starts from what the asking user may see."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Enterprise, Notification, User


def enterprise_for(user, pk: int, *, manage: bool = False) -> Enterprise:
    """The enterprise `pk` as `user` may see it.

    Its own staff see and manage it; the bureau (区经信局) may read the profile but not change it (403);
    everyone else — another enterprise's staff, experts, agencies — gets 404, so existence is not leaked.
    """
    if user.is_authenticated and user.is_active:
        if user.is_enterprise and user.enterprise_id == pk:
            return Enterprise.objects.get(pk=pk)
        if user.is_bureau:
            enterprise = Enterprise.objects.filter(pk=pk).first()
            if enterprise is None:
                raise Http404
            if manage:
                raise PermissionDenied
            return enterprise
    raise Http404


def staff_of(enterprise: Enterprise):
    """The enterprise's staff accounts, active ones first."""
    return User.objects.filter(enterprise=enterprise).order_by("-is_active", "date_joined", "pk")


def notifications_for(user):
    """The user's own notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")
