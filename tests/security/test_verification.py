"""Issue 10 point 6 — who may speak for an enterprise: the first account of a credit code cannot submit until the
bureau has checked its 营业执照 and 授权委托书; a second claimant asks for access and the enterprise's confirmed
staff or the bureau decide. Refusals write nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import AccountClaim, ClaimState, Enterprise, Notification, User
from assessments import demo, services
from core.models import AuditEvent
from tests import factories

from .dbstate import changed_tables, snapshot

pytestmark = pytest.mark.django_db
VERIFY_MESSAGE = "贵企业的注册尚未通过区经信局核验"


def pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def newcomer(db):
    """A freshly registered enterprise (not yet verified) with a draft that would otherwise be submittable."""
    ent = factories.enterprise("北京顺义新来科技有限公司", verified_at=None)
    owner = factories.enterprise_user("newcomer", ent, email_confirmed_at=timezone.now())
    demo.ensure_roster(ent)
    demo.fill_to_level(ent, level=3, by=owner)
    app = services.start_application(enterprise=ent, by=owner)
    return ent, owner, app


def submit(client, app):
    return client.post(f"/enterprise/applications/{app.pk}/submit/", {"pledge": "on"}, follow=True)


def test_registration_registers_unverified_and_existing_enterprises_are_verified(personas, client):
    from tests.accounts.conftest import VALID_CODE

    assert personas.enterprise.is_verified  # factories: verified unless a test says otherwise
    data = {
        "credit_code": VALID_CODE,
        "name": "北京顺义注册测试有限公司",
        "industry": "industrial",
        "address": "北京市顺义区1号",
        "employees": "50",
        "revenue": "800",
        "total_assets": "",
        "contact_name": "钱联系",
        "contact_mobile": "13912345678",
        "contact_email": "qian@example.com",
        "username": "regtest",
        "password1": "Shunyi-Digital-2024!",
        "password2": "Shunyi-Digital-2024!",
    }
    assert client.post(reverse("accounts:register"), data).status_code == 302
    assert not Enterprise.objects.get(credit_code=VALID_CODE).is_verified
    assert "上传核验材料" in client.get(reverse("accounts:register_done")).content.decode()


def test_an_unverified_enterprise_cannot_submit_and_nothing_is_written(newcomer, client_for):
    ent, owner, app = newcomer
    client = client_for(owner)
    before = snapshot()
    response = submit(client, app)
    assert VERIFY_MESSAGE in response.content.decode()
    assert changed_tables(before, snapshot()) == []
    app.refresh_from_db()
    assert app.state == "draft" and app.submitted_at is None


def test_documents_queue_refusal_and_approval(newcomer, client_for, personas):
    ent, owner, app = newcomer
    client = client_for(owner)
    page = client.get(reverse("accounts:verification")).content.decode()
    assert "请上传营业执照和授权委托书" in page
    # A file that is not what its name says is refused, and nothing is stored.
    before = snapshot()
    fake = SimpleUploadedFile("营业执照.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("accounts:verification"),
        {"business_licence": fake, "authorization_letter": pdf("委托书.pdf")},
    )
    assert response.status_code == 200 and "文件内容与扩展名" in response.content.decode()
    assert changed_tables(before, snapshot()) == []
    response = client.post(
        reverse("accounts:verification"),
        {"business_licence": pdf("营业执照.pdf"), "authorization_letter": pdf("授权委托书.pdf")},
    )
    assert response.status_code == 302
    (claim,) = AccountClaim.objects.filter(enterprise=ent)
    assert claim.state == ClaimState.PENDING and claim.kind == "registration"
    assert "营业执照" not in claim.business_licence.name  # stored under a random name
    assert "正在等待区经信局核验" in client.get(reverse("accounts:verification")).content.decode()

    bureau = client_for(personas.bureau)
    queue = bureau.get(reverse("supervision:verifications")).content.decode()
    assert ent.name in queue
    detail_url = reverse("supervision:verification", args=[claim.pk])
    doc_url = reverse("supervision:verification_document", args=[claim.pk, "business_licence"])
    download = bureau.get(doc_url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert "no-store" in download["Cache-Control"]
    assert AuditEvent.objects.filter(
        action="enterprise.claim_document_viewed", actor=personas.bureau
    ).exists()
    # Nobody but the bureau sees the queue, the case or its files.
    for who in (owner, personas.owner, personas.expert, personas.agency_admin):
        c = client_for(who)
        assert c.get(reverse("supervision:verifications")).status_code == 404
        assert c.get(detail_url).status_code == 404
        assert c.get(doc_url).status_code == 404
    assert Client().get(doc_url).status_code == 302  # to the login page

    # Refusing needs a reason; without one nothing is written.
    before = snapshot()
    response = bureau.post(detail_url, {"decision": "refuse", "reason": ""})
    assert response.status_code == 400 and "请填写未通过的原因" in response.content.decode()
    assert changed_tables(before, snapshot()) == []
    assert bureau.post(detail_url, {"decision": "refuse", "reason": "授权委托书未盖公章"}).status_code == 302
    claim.refresh_from_db()
    assert claim.state == ClaimState.REFUSED and claim.decided_by == personas.bureau
    note = Notification.objects.get(user=owner)
    assert "授权委托书未盖公章" in note.body
    assert "授权委托书未盖公章" in client.get(reverse("accounts:verification")).content.decode()
    assert VERIFY_MESSAGE in submit(client, app).content.decode()

    # New documents, approved: the enterprise may now submit.
    client.post(
        reverse("accounts:verification"),
        {"business_licence": pdf("营业执照.pdf"), "authorization_letter": pdf("授权委托书-盖章.pdf")},
    )
    second = AccountClaim.objects.filter(enterprise=ent).order_by("-pk").first()
    assert (
        bureau.post(
            reverse("supervision:verification", args=[second.pk]), {"decision": "approve"}
        ).status_code
        == 302
    )
    ent.refresh_from_db()
    assert ent.is_verified
    assert AuditEvent.objects.filter(action="enterprise.claim_approved", actor=personas.bureau).count() == 1
    assert AuditEvent.objects.filter(action="enterprise.claim_refused").count() == 1
    assert Notification.objects.filter(user=owner, title="贵企业已通过区经信局核验").exists()
    assert VERIFY_MESSAGE not in submit(client, app).content.decode()
    app.refresh_from_db()
    assert app.state == "submitted"


def test_a_second_claimant_asks_and_the_confirmed_staff_decide(
    personas, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    from accounts.services import mark_email_confirmed

    ent = personas.enterprise
    form = {
        "credit_code": ent.credit_code,
        "full_name": "孙第二",
        "mobile": "13600001111",
        "email": "sun@example.com",
        "username": "second-claimant",
        "password1": "Shunyi-Join-2024x",
        "authorization_letter": pdf("授权委托书.pdf"),
        "note": "新任财务负责人",
    }
    response = Client().post(reverse("accounts:request_access"), form)
    assert response.status_code == 200 and "申请已提交" in response.content.decode()
    claimant = User.objects.get(username="second-claimant")
    assert not claimant.is_active and claimant.enterprise == ent
    # An inactive claimant cannot sign in.
    login = Client().post(
        "/accounts/login/", {"username": "second-claimant", "password": "Shunyi-Join-2024x"}
    )
    assert login.status_code == 200
    (claim,) = AccountClaim.objects.filter(user=claimant)

    # A staff member whose e-mail is not confirmed cannot decide (an insider: 403); nor can an outsider, who
    # is not told the request exists (404).
    decide = reverse("accounts:claim_decide", args=[claim.pk])
    for who, status in ((personas.owner, 403), (personas.outsider, 404), (personas.expert, 404)):
        c = client_for(who)
        before = snapshot()
        assert c.post(decide, {"decision": "approve"}).status_code == status
        assert c.get(reverse("accounts:claim_document", args=[claim.pk])).status_code == status
        assert changed_tables(before, snapshot()) == []
    mark_email_confirmed(user=personas.owner)
    owner = client_for(personas.owner)
    staff_page = owner.get(reverse("accounts:staff", args=[ent.pk])).content.decode()
    assert "孙第二" in staff_page and "新任财务负责人" in staff_page
    assert owner.get(reverse("accounts:claim_document", args=[claim.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.post(decide, {"decision": "approve"}).status_code == 302
    claimant.refresh_from_db()
    assert claimant.is_active
    assert [m.to for m in mailoutbox if "通过" in m.subject] == [["sun@example.com"]]
    assert AuditEvent.objects.filter(action="enterprise.claim_approved", actor=personas.owner).exists()


def test_the_bureau_refuses_a_second_claimant_with_a_reason(
    personas, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    ent = personas.enterprise
    Client().post(
        reverse("accounts:request_access"),
        {
            "credit_code": ent.credit_code,
            "full_name": "冒名者",
            "mobile": "13600002222",
            "email": "fake@example.com",
            "username": "impostor",
            "password1": "Shunyi-Join-2024x",
            "authorization_letter": pdf("委托书.pdf"),
        },
    )
    claim = AccountClaim.objects.get(user__username="impostor")
    bureau = client_for(personas.bureau)
    assert ent.name in bureau.get(reverse("supervision:verifications")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = bureau.post(
            reverse("supervision:verification", args=[claim.pk]),
            {"decision": "refuse", "reason": "企业不认可此人"},
        )
    assert response.status_code == 302
    assert not User.objects.get(username="impostor").is_active
    (mail,) = [m for m in mailoutbox if m.to == ["fake@example.com"]]
    assert "企业不认可此人" in mail.body


def test_an_unregistered_code_cannot_be_claimed(client):
    before = snapshot()
    response = client.post(
        reverse("accounts:request_access"),
        {
            "credit_code": factories.credit_code(),
            "full_name": "某人",
            "mobile": "13600003333",
            "email": "x@example.com",
            "username": "nobody-here",
            "password1": "Shunyi-Join-2024x",
            "authorization_letter": pdf("委托书.pdf"),
        },
    )
    assert "尚未注册" in response.content.decode()
    assert changed_tables(before, snapshot()) == []


def test_the_demo_shows_one_pending_and_one_verified_registration(db):
    from io import StringIO

    accounts_demo.seed(StringIO())
    accounts_demo.seed(StringIO())  # idempotent
    pending = AccountClaim.objects.get(user__username="demo-pending")
    verified = AccountClaim.objects.get(user__username="demo-verified")
    assert pending.state == ClaimState.PENDING and not pending.enterprise.is_verified
    assert verified.state == ClaimState.APPROVED and verified.enterprise.is_verified
    assert AccountClaim.objects.count() == 2
    for i in range(len(accounts_demo.ENTERPRISES)):
        assert accounts_demo.enterprise(i).is_verified
