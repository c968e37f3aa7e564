"""The audit actions of accounts (core.actions), and how a role code reads."""

from django.utils.translation import gettext_noop as _

from core.actions import action, param

from .models import ClaimKind, Role

param("role", lambda code, params: Role(code).label)

action("enterprise.registered", _("企业注册"), _("企业注册：%(name)s（%(credit_code)s）"))
action("enterprise.updated", _("修改企业信息"), _("修改企业信息：%(enterprise_name)s"))
action("enterprise.staff_added", _("添加员工账号"), _("添加员工账号：%(name)s（%(username)s）"))
action("enterprise.staff_deactivated", _("停用员工账号"), _("停用员工账号：%(name)s（%(username)s）"))
action("user.email_confirmed", _("确认邮箱"), _("确认邮箱：%(email)s"))
action("user.profile_updated", _("修改个人资料"))

# Sign-in (accounts.signin)
action("user.login", _("登录"), _("登录：%(username)s"))
action("user.logout", _("退出登录"), _("退出登录：%(username)s"))
action("user.logout_idle", _("超时自动退出"), _("超时自动退出：%(username)s"))
action("user.login_failed", _("登录失败"), _("登录失败：%(username)s"))
action("user.locked_out", _("登录锁定"), _("登录锁定：%(username)s（%(ip_address)s）"))
action("user.unlocked", _("解除登录锁定"), _("解除登录锁定：%(value)s"))
action("user.email_changed", _("更改邮箱"), _("更改邮箱：%(old)s → %(new)s"))
# Who speaks for an enterprise (accounts.verification)
param("kind", lambda code, params: ClaimKind(code).label)
action(
    "enterprise.verification_requested",
    _("提交企业核验材料"),
    _("提交企业核验材料：%(name)s（%(credit_code)s）"),
)
action("enterprise.access_requested", _("申请加入企业"), _("申请加入企业：%(user)s → %(name)s"))
action("enterprise.claim_document_viewed", _("查看核验材料"), _("查看核验材料：%(name)s（%(file)s）"))
action("enterprise.claim_approved", _("核验通过"), _("核验通过（%(kind)s）：%(user)s → %(name)s"))
action(
    "enterprise.claim_refused",
    _("核验未通过"),
    _("核验未通过（%(kind)s）：%(user)s → %(name)s（%(reason)s）"),
)
