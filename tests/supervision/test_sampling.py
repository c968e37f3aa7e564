"""Sampling (抽验): allocation and rounding, a reproducible draw, and the re-checks by another agency."""

import re
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from supervision import sampling, services
from supervision.models import Recheck, RecheckOutcome, Sample
from tests import factories
from tests.supervision import helpers

# ---- pure: allocation and the draw ------------------------------------------------------------------------


def test_largest_remainder_allocation():
    # 10 × (5, 3, 2)/10 is exact.
    assert sampling.allocate({"a": 5, "b": 3, "c": 2}, 10) == {"a": 5, "b": 3, "c": 2}
    # 4 × (5, 3, 2)/10 = 2.0, 1.2, 0.8 → floors 2, 1, 0; one seat left goes to c (0.8 is the largest remainder).
    assert sampling.allocate({"a": 5, "b": 3, "c": 2}, 4) == {"a": 2, "b": 1, "c": 1}
    # 5 × (7, 7, 7)/21 = 1.67 each → floors 1, 1, 1; two seats left, ties broken by key order.
    assert sampling.allocate({"x": 7, "y": 7, "z": 7}, 5) == {"x": 2, "y": 2, "z": 1}
    # 3 × (1, 1, 98)/100 = 0.03, 0.03, 2.94 → 0, 0, 2; the seat left goes to the largest remainder (2.94).
    assert sampling.allocate({"a": 1, "b": 1, "c": 98}, 3) == {"a": 0, "b": 0, "c": 3}
    assert sampling.allocate({"a": 0, "b": 4}, 2) == {"a": 0, "b": 2}
    assert sampling.allocate({}, 3) == {}


@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 40), min_size=1), st.integers(0, 300))
def test_allocation_sums_to_the_size_and_never_exceeds_a_stratum(strata, size):
    seats = sampling.allocate(strata, size)
    assert sum(seats.values()) == min(size, sum(strata.values()))
    total = sum(strata.values())
    for key, n in strata.items():
        assert 0 <= seats[key] <= n
        if total:
            quota = Decimal(min(size, total) * n) / total
            assert abs(seats[key] - quota) < 1  # each stratum gets its quota rounded down or up


def test_size_from_rate_rounds_half_up_with_at_least_one():
    assert sampling.size_from_rate(45, Decimal("0.1")) == 5  # 4.5 → 5
    assert sampling.size_from_rate(44, Decimal("0.1")) == 4  # 4.4 → 4
    assert sampling.size_from_rate(3, Decimal("0.01")) == 1
    assert sampling.size_from_rate(0, Decimal("0.5")) == 0


def test_the_same_seed_and_population_give_the_same_draw():
    population = [(f"SYDL-2026-{i:04d}", str(i % 3)) for i in range(1, 60)]
    first = sampling.draw(population, size=7, seed=20261125)
    again = sampling.draw(list(reversed(population)), size=7, seed=20261125)  # order of arrival is irrelevant
    assert first == again
    assert sampling.draw(population, size=7, seed=20261126)[0] != first[0]
    strat = sampling.draw(population, size=9, seed=7, stratified=True)
    assert strat == sampling.draw(population, size=9, seed=7, stratified=True)
    assert Counter(s for _k, s in strat[0]) == {"0": 3, "1": 3, "2": 3}
    assert strat[1] == {"0": (19, 3), "1": (20, 3), "2": (20, 3)}


# ---- persisted samples ------------------------------------------------------------------------------------


@pytest.fixture
def graded(personas):
    """Twelve approved grades: eight by the agency (levels 2 and 3), four by the other agency."""
    apps = []
    for i in range(12):
        ag, admin = (
            (personas.agency, personas.agency_admin)
            if i < 8
            else (personas.other_agency, personas.other_agency_admin)
        )
        ent = factories.enterprise(f"抽样企业{i}")
        apps.append(helpers.approved(ent, agency=ag, admin=admin, bureau=personas.bureau, level=2 + i % 2))
    return apps


@pytest.mark.django_db
def test_drawing_twice_with_the_same_seed_returns_the_same_sample(personas, graded, client_for):
    c = client_for(personas.bureau)
    data = {"size": 5, "seed": 424242, "stratify_by": "agency"}
    assert c.post(reverse("supervision:samples"), data).status_code == 302
    assert c.post(reverse("supervision:samples"), data).status_code == 302
    first, second = Sample.objects.order_by("id")
    members = [[r.grade.certificate_number for r in s.rechecks.order_by("position")] for s in (first, second)]
    assert members[0] == members[1] and len(members[0]) == 5
    assert first.seed == second.seed == 424242
    # 5 × (8, 4)/12 = 3.33, 1.67 → 3 + 2 (largest remainder to the other agency).
    assert {v["allocated"] for v in first.allocation.values()} == {3, 2}
    page = c.get(reverse("supervision:sample", args=[first.pk]))
    assert "424242" in page.content.decode()


@pytest.mark.django_db
def test_population_filter_and_generated_seed(personas, graded):
    sample = services.draw_sample(by=personas.bureau, population_filter={"levels": [3]}, rate=Decimal("0.5"))
    assert sample.population_size == 6 and sample.size == 3
    assert all(r.grade.level == 3 for r in sample.rechecks.all())
    again = services.draw_sample(
        by=personas.bureau, population_filter={"levels": [3]}, rate=Decimal("0.5"), seed=sample.seed
    )
    assert [r.grade_id for r in again.rechecks.all()] == [r.grade_id for r in sample.rechecks.all()]
    with pytest.raises(services.ServiceError, match="不能超过总体数量"):
        services.draw_sample(
            by=personas.bureau, population_filter={"agencies": [personas.other_agency.pk]}, size=5
        )


@pytest.mark.django_db
def test_recheck_by_another_agency_and_comparison(personas, graded, client_for):
    sample = services.draw_sample(
        by=personas.bureau, population_filter={"agencies": [personas.agency.pk]}, size=2, seed=1
    )
    first, second = sample.rechecks.order_by("position")
    bureau = client_for(personas.bureau)
    # The grading agency cannot re-check its own grade.
    bureau.post(reverse("supervision:recheck_assign", args=[first.pk]), {"agency": personas.agency.pk})
    first.refresh_from_db()
    assert first.agency is None
    for r in (first, second):
        assert (
            bureau.post(
                reverse("supervision:recheck_assign", args=[r.pk]), {"agency": personas.other_agency.pk}
            ).status_code
            == 302
        )
    # The other agency's admin sees it and names the team; the grading agency does not see it at all.
    assert (
        client_for(personas.agency_admin).get(reverse("recheck:detail", args=[first.pk])).status_code == 404
    )
    other_admin = client_for(personas.other_agency_admin)
    url = reverse("recheck:detail", args=[first.pk])
    assert other_admin.get(url).status_code == 200
    assert other_admin.post(url, {"action": "team", "lead": personas.expert.pk}).status_code == 400
    assert other_admin.post(url, {"action": "team", "lead": personas.other_expert.pk}).status_code == 302
    first.refresh_from_db()
    assert first.team.purpose == "recheck" and first.team.agency == personas.other_agency
    # Only the lead records the outcome (the admin is an insider without the right: 403).
    assert (
        other_admin.post(url, {"action": "outcome", "outcome": "confirmed", "notes": "x"}).status_code == 403
    )
    lead = client_for(personas.other_expert)
    # A re-check team declares conflicts of interest exactly like a review team: first the declaration, which
    # shows who the enterprise is and nothing of its grade.
    declare_url = reverse("recheck:declare", args=[first.pk])
    response = lead.get(url)
    assert response.status_code == 302 and response["Location"] == declare_url
    page = lead.get(declare_url).content.decode()
    assert 'data-testid="declare-identity"' in page and first.grade.enterprise.name in page
    assert lead.get(reverse("recheck:list")).content.decode().count(first.grade.enterprise.name) == 0
    assert lead.post(declare_url, {"conflict": "none"}).status_code == 302
    assert lead.get(url).status_code == 200
    assert lead.get(reverse("recheck:detail", args=[second.pk])).status_code == 404  # not on that team
    assert lead.post(url, {"action": "outcome", "outcome": "revoke", "notes": ""}).status_code == 400
    assert (
        lead.post(
            url, {"action": "outcome", "outcome": "revoke", "notes": "现场未见设备联网记录，材料与实际不符"}
        ).status_code
        == 302
    )
    other_admin.post(
        reverse("recheck:detail", args=[second.pk]), {"action": "team", "lead": personas.other_expert.pk}
    )
    lead.post(reverse("recheck:declare", args=[second.pk]), {"conflict": "none"})
    services.record_recheck_outcome(
        recheck=second,
        by=personas.other_expert,
        outcome=RecheckOutcome.CHANGED,
        new_level=second.grade.level + 1,
        notes="场景等级高于原认定",
    )
    page = bureau.get(reverse("supervision:sample", args=[sample.pk])).content.decode()
    assert "建议撤销" in page and "不一致" in page
    # The bureau decides the follow-up of each outcome (tests/supervision/test_recheck_decision.py).
    assert reverse("supervision:recheck_decide", args=[first.pk]) in page
    revoke_url = reverse("supervision:revoke", args=[first.grade.application_id])
    form = bureau.get(f"{revoke_url}?recheck={first.pk}&basis=false_material")
    assert "现场未见设备联网记录" in form.content.decode()
    assert Recheck.objects.filter(outcome="").count() == 0


def test_a_recheck_member_who_declares_a_conflict_leaves_the_team_and_loses_the_case(
    personas, graded, client_for
):
    sample = services.draw_sample(by=personas.bureau, population_filter={}, size=1, seed=1)
    recheck = sample.rechecks.get()
    services.assign_recheck_agency(recheck=recheck, agency=personas.other_agency, by=personas.bureau)
    services.form_recheck_team(recheck=recheck, by=personas.other_agency_admin, lead=personas.other_expert)
    expert = client_for(personas.other_expert)
    url = reverse("recheck:detail", args=[recheck.pk])
    assert expert.get(url).status_code == 302
    response = expert.post(reverse("recheck:declare", args=[recheck.pk]), {"conflict": "consulting"})
    assert response.status_code == 302 and response["Location"] == reverse("recheck:list")
    assert expert.get(url).status_code == 404
    assert expert.get(reverse("recheck:declare", args=[recheck.pk])).status_code == 404
    note = personas.other_agency_admin.notifications.latest("id")
    assert note.link == url


def test_the_enterprises_service_provider_is_refused_for_a_recheck(personas, graded, client_for):
    from accounts.models import RosterEntry
    from core.models import AuditEvent

    sample = services.draw_sample(by=personas.bureau, population_filter={}, size=1, seed=1)
    recheck = sample.rechecks.get()
    ent = recheck.grade.application.enterprise
    RosterEntry.objects.update_or_create(
        credit_code=ent.credit_code,
        defaults={"name": ent.name, "service_provider_credit_code": personas.other_agency.credit_code},
    )
    with pytest.raises(services.ServiceError) as refused:
        services.assign_recheck_agency(recheck=recheck, agency=personas.other_agency, by=personas.bureau)
    assert refused.value.code == "service_provider"
    recheck.refresh_from_db()
    assert recheck.agency is None
    # Recorded as 服务商 after the agency was given the re-check: its team is refused too, and the refusal kept.
    RosterEntry.objects.filter(credit_code=ent.credit_code).update(service_provider_credit_code="")
    services.assign_recheck_agency(recheck=recheck, agency=personas.other_agency, by=personas.bureau)
    RosterEntry.objects.filter(credit_code=ent.credit_code).update(
        service_provider_credit_code=personas.other_agency.credit_code
    )
    with pytest.raises(services.ServiceError) as refused:
        services.form_recheck_team(
            recheck=recheck, by=personas.other_agency_admin, lead=personas.other_expert
        )
    assert refused.value.code == "service_provider"
    recheck.refresh_from_db()
    assert recheck.team is None
    assert AuditEvent.objects.filter(action="experts.assignment_refused").count() == 1


def test_a_large_sample_is_shown_a_page_at_a_time_and_counted_whole(personas, client, monkeypatch):
    """A sample page lists MEMBERS_PER_PAGE members a page (positions in order across pages), the summary counts
    them all (here two a page, to keep the test small)."""
    from supervision.views import sampling as sampling_views

    monkeypatch.setattr(sampling_views, "MEMBERS_PER_PAGE", 2)
    for i in range(3):
        ent = factories.enterprise(f"分页企业{i}")
        helpers.approved(ent, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau)
    sample = services.draw_sample(by=personas.bureau, population_filter={}, size=3, seed=7)
    client.force_login(personas.bureau)
    url = reverse("supervision:sample", args=[sample.pk])
    first, second = client.get(url), client.get(url, {"page": 2})
    pattern = r'<tr data-certificate="[^"]+"><td>(\d+)</td>'
    rows = [re.findall(pattern, r.content.decode()) for r in (first, second)]
    assert [len(r) for r in rows] == [2, 1]
    assert [int(p) for p in rows[0] + rows[1]] == [1, 2, 3]
    body = first.content.decode()
    assert f"{RecheckOutcome.PENDING.label} 3" in body and "?page=2" in body
