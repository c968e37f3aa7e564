"""Who may open the bureau's pages, and the audit trail that nothing can change."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import RosterEntry
from core.audit import record
from core.models import AuditEvent
from supervision import services
from supervision.urls import urlpatterns as bureau_patterns
from tests.supervision import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    """One of everything a bureau URL can point at."""
    app = helpers.approved(
        personas.enterprise, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau
    )
    entry = RosterEntry.objects.create(
        credit_code=personas.enterprise.credit_code, name=personas.enterprise.name
    )
    from io import BytesIO

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["统一社会信用代码", "企业名称"])
    out = BytesIO()
    wb.save(out)
    imported = services.import_roster(content=out.getvalue(), file_name="a.xlsx", by=personas.bureau)
    sample = services.draw_sample(by=personas.bureau, population_filter={}, size=1, seed=3)
    return {
        "application": app,
        "entry": entry,
        "import": imported,
        "sample": sample,
        "recheck": sample.rechecks.get(),
    }


def bureau_urls(world):
    pk_for = {
        "roster_import_report": world["import"].pk,
        "roster_import_download": world["import"].pk,
        "roster_entry": world["entry"].pk,
        "sample": world["sample"].pk,
        "recheck_assign": world["recheck"].pk,
        "recheck_decide": world["recheck"].pk,
    }
    urls = []
    for pattern in bureau_patterns:
        keys = set(pattern.pattern.converters)
        kwargs = {}
        if "pk" in keys:
            kwargs["pk"] = pk_for.get(pattern.name, world["application"].pk)
        if "evidence_id" in keys:
            kwargs["evidence_id"] = 1
        if "photo_id" in keys:
            kwargs["photo_id"] = 1
        if "field" in keys:
            kwargs["field"] = "authorization_letter"
        urls.append((pattern.name, reverse(f"supervision:{pattern.name}", kwargs=kwargs)))
    return urls


def test_every_bureau_url_is_covered(world):
    assert len(bureau_urls(world)) == len(bureau_patterns) >= 30


@pytest.mark.parametrize(
    "who", ["owner", "outsider", "expert", "agency_admin", "other_agency_admin", "other_expert"]
)
def test_enterprises_experts_and_agencies_get_404_on_every_bureau_page(personas, client_for, world, who):
    c = client_for(getattr(personas, who))
    for name, url in bureau_urls(world):
        assert c.get(url).status_code == 404, (who, name)
        assert c.post(url, {"reason": "x", "agency": personas.agency.pk}).status_code == 404, (who, name)
    assert AuditEvent.objects.filter(actor=getattr(personas, who)).count() == 0


def test_anonymous_visitors_are_sent_to_login(client_for, world):
    c = client_for(None)
    for name, url in bureau_urls(world):
        response = c.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


GET_PAGES = {
    "home",
    "roster",
    "roster_import_report",
    "roster_entry",
    "applications",
    "application",
    "revoke",
    "recheck_decide",
    "intake",
    "paper_instructions",
    "commissioning",
    "approvals",
    "grades",
    "samples",
    "sample",
    "audit",
    "export_matrix",
    "roster_template",
    "roster_import_download",
    "lockouts",
    "verifications",
}


def test_the_bureau_opens_every_page(personas, client_for, world):
    c = client_for(personas.bureau)
    for name, url in bureau_urls(world):
        if name in GET_PAGES:
            assert c.get(url).status_code == 200, name
        else:
            assert c.get(url).status_code in (404, 405), (
                name
            )  # actions are POST only; evidence 1 does not exist


def test_recheck_pages_are_for_agencies_only(personas, client_for, world):
    url = reverse("recheck:detail", args=[world["recheck"].pk])
    for who in ("owner", "bureau", "expert", "agency_admin"):
        assert client_for(getattr(personas, who)).get(url).status_code == 404, who
    assert client_for(personas.owner).get(reverse("recheck:list")).status_code == 404


# ---- the audit trail ---------------------------------------------------------------------------------------


def test_audit_events_refuse_updates_and_deletes(personas):
    event = record(actor=personas.bureau, action="test.event", params={"note": "原始"})
    event.detail = {"note": "篡改"}
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == {"note": "原始"}


def _all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _all_patterns(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}", p


def test_no_url_accepts_a_write_to_the_audit_trail(personas, client_for, world):
    """POST, PUT, PATCH and DELETE every URL of the site, with an audit event's id wherever an id goes."""
    target = record(actor=personas.bureau, action="test.event", params={"k": 1})
    before = {e.pk: (e.action, e.summary, e.detail, e.actor_id, e.at) for e in AuditEvent.objects.all()}
    payload = {
        "summary": "篡改",
        "action": "tampered",
        "detail": "{}",
        "pk": target.pk,
        "id": target.pk,
        "event": target.pk,
        "delete": "1",
    }
    for user in (personas.bureau, personas.owner, personas.agency_admin, None):
        c = client_for(user)
        for name, pattern in _all_patterns():
            kwargs = {}
            for key, conv in pattern.pattern.converters.items():
                kwargs[key] = target.pk if conv.regex == "[0-9]+" else str(target.pk)
            try:
                url = reverse(name, kwargs=kwargs)
            except Exception:  # noqa: BLE001 - patterns with unusual converters are not write targets
                continue
            for method in ("post", "put", "patch", "delete"):
                getattr(c, method)(url, payload)
    after = {
        e.pk: (e.action, e.summary, e.detail, e.actor_id, e.at)
        for e in AuditEvent.objects.filter(pk__in=before)
    }
    assert after == before


def test_audit_trail_is_browsable_and_filterable(personas, client_for, world):
    c = client_for(personas.bureau)
    app = world["application"]
    page = c.get(reverse("supervision:audit"))
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == min(50, AuditEvent.objects.count())
    by_app = c.get(reverse("supervision:audit"), {"application": app.number}).context["page"].object_list
    assert by_app and all(e.application_id == app.pk for e in by_app)
    by_action = c.get(reverse("supervision:audit"), {"action": "application.approve"}).context["page"]
    assert [e.action for e in by_action] == ["application.approve"]
    by_actor = c.get(reverse("supervision:audit"), {"actor": "bureau"}).context["page"].object_list
    assert by_actor and all(e.actor_id == personas.bureau.pk for e in by_actor)
    by_text = c.get(reverse("supervision:audit"), {"text": "抽验"}).context["page"].object_list
    assert [e.action for e in by_text] == ["sample.draw"]
    future = c.get(reverse("supervision:audit"), {"start": "2999-01-01"}).context["page"].object_list
    assert list(future) == []
    for i in range(60):
        record(actor=personas.bureau, action="roster.add", params={"name": f"企业{i}"})
    total = AuditEvent.objects.filter(action="roster.add").count()
    first = c.get(reverse("supervision:audit"), {"action": "roster.add"}).context["page"]
    assert len(first.object_list) == 50 and first.older and first.newer is None
    # The pager's next link keeps the filter and seeks past the last row shown (no OFFSET).
    second = c.get(reverse("supervision:audit"), {"action": "roster.add", "after": first.older}).context[
        "page"
    ]
    assert len(second.object_list) == total - 50 and {e.action for e in second} == {"roster.add"}
    assert not {e.pk for e in first} & {e.pk for e in second} and second.older is None
    back = c.get(reverse("supervision:audit"), {"action": "roster.add", "before": second.newer}).context[
        "page"
    ]
    assert [e.pk for e in back] == [e.pk for e in first] and back.is_first


def test_the_audit_table_stacks_on_a_phone_and_hides_no_code(personas, client_for, world):
    """Each cell carries its column's label (the phone layout shows it in place of the header); no action code
    sits in an attribute a pointer reveals."""
    import re

    body = client_for(personas.bureau).get(reverse("supervision:audit")).content.decode()
    assert "table-stack" in body
    cells = re.findall(r"<td(?! colspan)[^>]*>", body)
    assert cells and all("data-label=" in td for td in cells)
    assert 'title="application.' not in body
