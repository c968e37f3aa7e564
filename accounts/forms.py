"""Forms for registration, sign-in, profiles and colleagues. Every message is a Chinese sentence on its field."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UsernameField
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .credit_code import normalise, validate_credit_code
from .models import Enterprise, Role, User
from .sme import ASSET_INDUSTRIES, Industry
from .uploads import sniff_evidence

mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$",
    _("请输入11位手机号码（以1开头，第二位为3至9）。"),
    code="mobile",
)


def mobile_field(label) -> forms.CharField:
    # No max_length validator: the pattern alone says what is wrong, with one message.
    return forms.CharField(
        label=label,
        validators=[mobile_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "maxlength": "11"}),
    )


def money_field(label, *, required=True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


ASSETS_HELP = _("建筑业、房地产开发经营、租赁和商务服务业按资产总额划型，须填写。")


class EnterpriseFiguresMixin:
    """Shared by registration and the enterprise profile: 资产总额 is required only where 300号 uses it."""

    def clean(self):
        cleaned = super().clean()
        industry = cleaned.get("industry")
        if (
            industry in ASSET_INDUSTRIES
            and cleaned.get("total_assets") is None
            and "total_assets" not in self.errors
        ):
            self.add_error(
                "total_assets",
                _("所选行业按资产总额划分企业规模，请填写资产总额（万元）。"),
            )
        return cleaned


class RegistrationForm(EnterpriseFiguresMixin, forms.Form):
    """企业注册: the enterprise's profile and the first staff account (the contact person's)."""

    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,
        help_text=_("18位，见营业执照。"),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    name = forms.CharField(label=_("企业名称"), max_length=200)
    industry = forms.ChoiceField(
        label=_("所属行业"), choices=[("", _("请选择行业"))] + list(Industry.choices)
    )
    address = forms.CharField(label=_("注册地址"), max_length=300)
    employees = forms.IntegerField(
        label=_("从业人员（人）"),
        min_value=1,
        max_value=10_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    revenue = money_field(_("上年度营业收入（万元）"))
    total_assets = money_field(_("资产总额（万元）"), required=False)
    contact_name = forms.CharField(label=_("联系人姓名"), max_length=50)
    contact_mobile = mobile_field(_("联系人手机号码"))
    contact_email = forms.EmailField(label=_("联系人邮箱"), help_text=_("用于接收确认邮件和通知。"))
    username = UsernameField(
        label=_("用户名"),
        max_length=150,
        help_text=_("登录时使用。可含字母、数字和 @/./+/-/_ 。"),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("确认密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["total_assets"].help_text = ASSETS_HELP
        self.fields["username"].validators.append(User.username_validator)

    def clean_credit_code(self):
        code = normalise(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        if Enterprise.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(
                _(
                    "该统一社会信用代码已注册。如您是该企业员工，请联系已注册的同事在“员工账号”页面为您添加账号。"
                ),
                code="duplicate",
            )
        return code

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该用户名已被使用。"), code="duplicate")
        return username

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        if p1:
            probe = User(
                username=cleaned.get("username") or "",
                email=cleaned.get("contact_email") or "",
                full_name=cleaned.get("contact_name") or "",
                role=Role.ENTERPRISE,
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["password"] = data.pop("password1")
        data.pop("password2")
        return data


class EnterpriseForm(EnterpriseFiguresMixin, forms.ModelForm):
    """企业信息 as its staff edit it. The credit code is not on the form: it is the enterprise's identity."""

    employees = forms.IntegerField(
        label=_("从业人员（人）"),
        min_value=1,
        max_value=10_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    contact_mobile = mobile_field(_("联系人手机"))
    revenue = money_field(_("上年度营业收入（万元）"))
    total_assets = money_field(_("资产总额（万元）"), required=False)

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "industry",
            "address",
            "legal_representative",
            "employees",
            "revenue",
            "total_assets",
            "contact_name",
            "contact_mobile",
            "contact_email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["total_assets"].help_text = ASSETS_HELP


class ProfileForm(forms.Form):
    """The signed-in user's own name, mobile and e-mail."""

    full_name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = mobile_field(_("手机号码"))
    email = forms.EmailField(
        label=_("邮箱"), help_text=_("新邮箱须通过发送到该邮箱的确认链接确认后才会生效，原邮箱会收到通知。")
    )
    current_password = forms.CharField(
        label=_("当前密码"),
        required=False,
        strip=False,
        help_text=_("仅在更改邮箱时需要填写。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ColleagueForm(forms.Form):
    """A new colleague's account; they set their own password through the e-mailed link."""

    username = UsernameField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = mobile_field(_("手机号码"))
    email = forms.EmailField(label=_("邮箱"), help_text=_("同事将收到设置密码的链接。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(User.username_validator)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该用户名已被使用。"), code="duplicate")
        return username


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确（均区分大小写），请重新输入。"),
        "inactive": _("该账号已停用。"),
    }


class ResetForm(PasswordResetForm):
    """Reset links go only to confirmed addresses — and to colleagues who were added but never set a password
    (the link is their invitation again; it may have expired)."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True).filter(
            Q(email_confirmed_at__isnull=False)
            | Q(password__startswith=UNUSABLE_PASSWORD_PREFIX, last_login=None)
        )


def document_field(label, help_text) -> forms.FileField:
    return forms.FileField(
        label=label,
        help_text=help_text,
        error_messages={"required": _("请选择要上传的文件。")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class DocumentsFormMixin:
    """Each document checked by extension and content (accounts.uploads), as evidence is."""

    def clean_business_licence(self):
        upload = self.cleaned_data["business_licence"]
        sniff_evidence(upload)
        return upload

    def clean_authorization_letter(self):
        upload = self.cleaned_data["authorization_letter"]
        sniff_evidence(upload)
        return upload


class VerificationDocumentsForm(DocumentsFormMixin, forms.Form):
    """企业核验: the registrant's 营业执照 and 授权委托书 for the bureau."""

    business_licence = document_field(_("营业执照"), _("营业执照扫描件或照片（PDF、JPG、PNG）。"))
    authorization_letter = document_field(
        _("授权委托书"), _("企业盖章的授权委托书，授权您代表企业使用本平台（PDF、JPG、PNG）。")
    )


class AccessRequestForm(DocumentsFormMixin, forms.Form):
    """申请加入已注册的企业: a new, inactive account until the enterprise's staff or the bureau decide."""

    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = mobile_field(_("手机号码"))
    email = forms.EmailField(label=_("邮箱"))
    username = UsernameField(label=_("用户名"), max_length=150)
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    authorization_letter = document_field(
        _("授权委托书"), _("企业盖章的授权委托书，授权您代表企业使用本平台（PDF、JPG、PNG）。")
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(User.username_validator)

    def clean_credit_code(self):
        code = normalise(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1"):
            probe = User(username=cleaned.get("username") or "", email=cleaned.get("email") or "")
            try:
                password_validation.validate_password(cleaned["password1"], probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["password"] = data.pop("password1")
        return data


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("通过")), ("refuse", _("不通过"))])
    reason = forms.CharField(label=_("未通过原因"), required=False, max_length=500)
