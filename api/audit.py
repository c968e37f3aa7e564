"""The audit actions of the JSON API's tokens (core.actions), and how their codes read."""

from django.utils.translation import gettext_noop as _

from core.actions import action, param

from .models import TokenScope

param("token_scope", lambda code, params: TokenScope(code).label)
# The agency's name as it was, after the scope ("评测机构 北京…"); a bureau token has none.
param("token_agency", lambda name, params: f" {name}")

action(
    "api.token_created",
    _("创建接口令牌"),
    _("创建接口令牌：%(name)s（%(token_scope)s%(token_agency)s，%(prefix)s…）"),
)
action(
    "api.token_revoked",
    _("吊销接口令牌"),
    _("吊销接口令牌：%(name)s（%(token_scope)s%(token_agency)s，%(prefix)s…）"),
)
