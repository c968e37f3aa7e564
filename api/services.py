"""Making, checking and revoking API tokens. A token is shown once, when made; only its SHA-256 is kept (a
token is 256 random bits, so a fast hash is enough: nothing to guess from it)."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record
from core.errors import DomainError

from .models import ApiToken, TokenScope

TOKEN_PREFIX = "syapi_"
# How stale `last_used_at` may get: a busy token is not written to on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _audit_params(token: ApiToken) -> dict:
    return {
        "name": token.name,
        "token_scope": token.scope,
        "token_agency": token.agency.name if token.agency_id else "",
        "prefix": token.prefix,
    }


@transaction.atomic
def create_token(*, name: str, scope: str, agency=None, by=None) -> tuple[ApiToken, str]:
    """A new token for `agency` (scope agency) or the bureau: (the row, the token itself — shown once)."""
    if scope not in TokenScope.values:
        raise DomainError(
            _("未知的权限范围 %(scope)s") % {"scope": scope}, code="unknown_scope", field="scope"
        )
    if (scope == TokenScope.AGENCY) != (agency is not None):
        raise DomainError(
            _("评测机构令牌须指定评测机构，区经信局令牌不指定"), code="agency_scope", field="agency"
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        scope=scope,
        agency=agency,
        key_hash=hash_token(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        created_by=by,
    )
    record(actor=by, action="api.token_created", obj=token, params=_audit_params(token))
    return token, raw


@transaction.atomic
def revoke_token(*, token: ApiToken, by=None) -> ApiToken:
    """Revoke a token at once (idempotent: a revoked token stays as it was)."""
    token = ApiToken.objects.select_for_update(of=("self",)).select_related("agency").get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
        record(actor=by, action="api.token_revoked", obj=token, params=_audit_params(token))
    return token


def token_for(raw: str) -> ApiToken | None:
    """The token row this presented token is (revoked ones included), or None. Notes when it was last used."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.select_related("agency").filter(key_hash=hash_token(raw)).first()
    if token is not None and token.revoked_at is None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token
