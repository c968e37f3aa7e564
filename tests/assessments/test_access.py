"""Every page and file of this enterprise, walked as every persona: another enterprise's staff get 404."""

import pytest
from django.urls import get_resolver, reverse

from assessments import services

from .conftest import pdf


@pytest.fixture
def case(personas, returned):
    ev = returned.assessment.evidence.first()
    a = services.working_assessment(enterprise=personas.enterprise, by=personas.owner)
    services.upload_evidence(
        assessment=a, target="Q3", upload=pdf("新文件.pdf"), content_type="application/pdf", by=personas.owner
    )
    a.refresh_from_db()
    services.save_field(assessment=a, key="Q5", values=["1"], based_on=a.revision, by=personas.owner)
    from assessments import submission

    submission.submit(application=returned, by=personas.owner, pledge=True)
    return returned, ev


def _object_urls(app, ev):
    """Every URL name of the assessments app that names an object of this enterprise."""
    urls = {
        "application": reverse("assessments:application", args=[app.pk]),
        "application_diff": reverse("assessments:application_diff", args=[app.pk]),
        "application_paper_sheet": reverse("assessments:application_paper_sheet", args=[app.pk]),
        "application_submit": reverse("assessments:application_submit", args=[app.pk]),
        "application_withdraw": reverse("assessments:application_withdraw", args=[app.pk]),
        "evidence_download": reverse("assessments:evidence_download", args=[ev.pk]),
        "evidence_remove": reverse("assessments:evidence_remove", args=[ev.pk]),
    }
    return urls


def test_every_url_name_is_covered():
    resolver = get_resolver()
    names = {n for n in resolver.namespace_dict["assessments"][1].reverse_dict if isinstance(n, str)}
    own = {"home", "questionnaire", "save_field", "evidence_upload", "application_start"}
    assert names == own | {
        "application",
        "application_diff",
        "application_paper_sheet",
        "application_submit",
        "application_withdraw",
        "evidence_download",
        "evidence_remove",
    }


@pytest.mark.parametrize(
    "persona", ["outsider", "other_agency_admin", "other_expert", "agency_admin", "expert"]
)
def test_outsiders_get_404_on_every_page_and_file(personas, client_for, case, persona):
    app, ev = case
    c = client_for(getattr(personas, persona))
    for name, url in _object_urls(app, ev).items():
        method = (
            c.post if name in ("application_submit", "application_withdraw", "evidence_remove") else c.get
        )
        assert method(url).status_code == 404, (persona, name)
    app.refresh_from_db()
    assert app.state == "submitted"


def test_outsider_enterprise_pages_show_only_their_own(personas, client_for, case):
    app, ev = case
    c = client_for(personas.outsider)
    for name in ("home", "questionnaire"):
        body = c.get(reverse(f"assessments:{name}")).content.decode()
        assert (
            app.number not in body and personas.enterprise.name not in body and ev.original_name not in body
        )
    # writes of the outsider land on the outsider's own working copy, never on this enterprise's
    r = c.post(reverse("assessments:save_field"), {"key": "Q5", "value": "4", "revision": "0"})
    assert r.status_code == 200
    assert app.assessment.answers["Q5"] == 1


def test_non_enterprise_roles_get_404_on_enterprise_only_pages(personas, client_for):
    for persona in ("bureau", "expert", "agency_admin"):
        c = client_for(getattr(personas, persona))
        for name in ("home", "questionnaire"):
            assert c.get(reverse(f"assessments:{name}")).status_code == 404
        for name in ("save_field", "evidence_upload", "application_start"):
            assert c.post(reverse(f"assessments:{name}")).status_code == 404


def test_anonymous_is_sent_to_login(client_for, case):
    app, ev = case
    c = client_for(None)
    for url in [reverse("assessments:home"), reverse("assessments:questionnaire")] + list(
        _object_urls(app, ev).values()
    ):
        r = c.get(url)
        assert r.status_code in (302, 405), url


def test_insiders_see_the_case(personas, client_for, case):
    app, ev = case
    for persona in ("owner", "colleague", "bureau"):
        c = client_for(getattr(personas, persona))
        assert c.get(reverse("assessments:application", args=[app.pk])).status_code == 200
        assert c.get(reverse("assessments:application_diff", args=[app.pk])).status_code == 200
        assert c.get(reverse("assessments:evidence_download", args=[ev.pk])).status_code == 200


def test_visible_applications_starts_from_what_each_user_may_see(personas, case):
    from assessments.selectors import visible_applications
    from experts.models import ConflictKind, Team, TeamMember

    app, _ev = case
    seen = {
        p: list(visible_applications(getattr(personas, p))) for p in ("owner", "outsider", "bureau", "expert")
    }
    assert seen == {"owner": [app], "outsider": [], "bureau": [app], "expert": []}
    app.agency = personas.agency
    app.save(update_fields=["agency"])
    team = Team.objects.create(application=app, agency=personas.agency, created_by=personas.agency_admin)
    TeamMember.objects.create(
        team=team, expert=personas.expert, declared_at=app.submitted_at, conflict=ConflictKind.NONE
    )
    assert list(visible_applications(personas.agency_admin)) == [app]
    assert list(visible_applications(personas.expert)) == [app]
    assert list(visible_applications(personas.expert2)) == []
    assert list(visible_applications(personas.other_agency_admin)) == []
