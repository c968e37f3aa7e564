"""Every account page as every persona: outsiders 404, insiders without the right 403, anonymous → login."""

import pytest
from django.urls import reverse

from accounts.models import Notification

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "colleague", "outsider", "agency_admin", "expert", "other_expert", "bureau"]

# (url name, needs the enterprise pk, method, expected status per persona)
ENTERPRISE_PAGES = [
    ("accounts:enterprise", "get", {"owner": 200, "colleague": 200, "bureau": 200}),
    ("accounts:enterprise_edit", "get", {"owner": 200, "colleague": 200, "bureau": 403}),
    ("accounts:enterprise_edit", "post", {"owner": 200, "colleague": 200, "bureau": 403}),
    ("accounts:staff", "get", {"owner": 200, "colleague": 200, "bureau": 403}),
    ("accounts:staff", "post", {"owner": 200, "colleague": 200, "bureau": 403}),
]


@pytest.mark.parametrize(("name", "method", "allowed"), ENTERPRISE_PAGES)
@pytest.mark.parametrize("who", PERSONAS)
def test_enterprise_pages(client_for, personas, name, method, allowed, who):
    url = reverse(name, args=[personas.enterprise.pk])
    response = getattr(client_for(getattr(personas, who)), method)(url)
    assert response.status_code == allowed.get(who, 404)


@pytest.mark.parametrize("who", PERSONAS)
def test_deactivate_a_colleague(client_for, personas, who):
    url = reverse("accounts:staff_deactivate", args=[personas.enterprise.pk, personas.colleague.pk])
    response = client_for(getattr(personas, who)).post(url)
    expected = {"owner": 302, "colleague": 302, "bureau": 403}.get(who, 404)
    assert response.status_code == expected
    personas.colleague.refresh_from_db()
    assert personas.colleague.is_active is (who != "owner")


def test_another_enterprise_user_cannot_be_reached_through_ones_own_enterprise(client_for, personas):
    url = reverse("accounts:staff_deactivate", args=[personas.enterprise.pk, personas.outsider.pk])
    assert client_for(personas.owner).post(url).status_code == 404
    personas.outsider.refresh_from_db()
    assert personas.outsider.is_active


def test_unknown_enterprise_is_404_for_everyone(client_for, personas):
    url = reverse("accounts:enterprise", args=[999999])
    for who in ["owner", "bureau", "expert"]:
        assert client_for(getattr(personas, who)).get(url).status_code == 404


@pytest.mark.parametrize("name", ["accounts:enterprise", "accounts:enterprise_edit", "accounts:staff"])
def test_anonymous_is_sent_to_login(client, personas, name):
    response = client.get(reverse(name, args=[personas.enterprise.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "name",
    ["accounts:profile", "accounts:notifications", "accounts:password_change", "accounts:my_enterprise"],
)
def test_signed_in_pages_need_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", PERSONAS)
def test_own_pages_work_for_every_role(client_for, personas, who):
    c = client_for(getattr(personas, who))
    for name in ["accounts:profile", "accounts:notifications", "accounts:password_change"]:
        assert c.get(reverse(name)).status_code == 200
    expected = 302 if who in {"owner", "colleague", "outsider"} else 404
    assert c.get(reverse("accounts:my_enterprise")).status_code == expected
    assert c.get(reverse("accounts:register_done")).status_code == (200 if expected == 302 else 404)


def test_someone_elses_notification_is_404(client_for, personas):
    theirs = Notification.objects.create(user=personas.outsider, title="别人的", link="/accounts/profile/")
    c = client_for(personas.owner)
    assert c.get(reverse("accounts:notification_open", args=[theirs.pk])).status_code == 404
    assert c.post(reverse("accounts:notification_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_outsider_sees_own_enterprise_not_this_one(client_for, personas):
    c = client_for(personas.outsider)
    body = c.get(reverse("accounts:enterprise", args=[personas.other_enterprise.pk])).content.decode()
    assert personas.other_enterprise.name in body and personas.enterprise.name not in body
