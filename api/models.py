"""Access tokens of the JSON API (数据接口): one per system of an organisation, with a scope.

Only the SHA-256 of a token is stored; the token itself is shown once, when it is made. A bureau token sees
what the bureau's pages show; an agency token sees what the agency admin's pages show (its own cases)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User


class TokenScope(models.TextChoices):
    BUREAU = "bureau", _("区经信局")
    AGENCY = "agency", _("评测机构")


class ApiToken(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    scope = models.CharField(_("权限范围"), max_length=10, choices=TokenScope.choices)
    agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("评测机构"),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The token's first characters, shown in lists so that a holder can tell which token is which.
    prefix = models.CharField(_("令牌前缀"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(scope="bureau") & models.Q(agency__isnull=True))
                | (models.Q(scope="agency") & models.Q(agency__isnull=False)),
                name="api_token_agency_matches_scope",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def principal(self):
        """Whom the token reads as: its organisation's admin (an unsaved user with that role and agency), so that
        the pages' visibility rule (`assessments.selectors.visible_applications`) decides what it sees."""
        role = Role.BUREAU if self.scope == TokenScope.BUREAU else Role.AGENCY_ADMIN
        return User(role=role, agency_id=self.agency_id, is_active=True)
