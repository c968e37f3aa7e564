"""The audit actions of accounts (core.actions), and how a role code reads."""

from django.utils.translation import gettext_noop as _

from core.actions import action, param

from .models import Role

param("role", lambda code, params: Role(code).label)

action("enterprise.registered", _("企业注册"), _("企业注册：%(name)s（%(credit_code)s）"))
action("enterprise.updated", _("修改企业信息"), _("修改企业信息：%(enterprise_name)s"))
action("enterprise.staff_added", _("添加员工账号"), _("添加员工账号：%(name)s（%(username)s）"))
action("enterprise.staff_deactivated", _("停用员工账号"), _("停用员工账号：%(name)s（%(username)s）"))
action("user.email_confirmed", _("确认邮箱"), _("确认邮箱：%(email)s"))
action("user.profile_updated", _("修改个人资料"))
