"""What the read-only endpoints answer: applications as the bureau's list shows them, grades as the public
verify page shows them (the holder frozen as approved), the dashboard's counts — keyset pages, Beijing time,
and a number of queries that does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import ApplicationState as S
from core.display import local_iso
from supervision import selectors as bureau
from supervision.models import CertificateFile
from tests import factories
from tests.supervision import helpers

pytestmark = pytest.mark.django_db


def get(call, world, path, persona="bureau", **params):
    response = call("get", path, token=world.tokens[persona], data=params)
    assert response.status_code == 200, response.content
    return response.json()


def test_an_application_as_the_bureau_sees_it(world, call):
    app = world.own
    body = get(call, world, f"/api/applications/{app.number}")
    assert body["number"] == app.number
    assert (body["state"], body["state_label"]) == ("approved", "已认定")
    assert body["kind"] == "initial" and body["kind_label"] == "首次评测"
    assert body["enterprise"]["name"] == app.enterprise.name
    assert body["enterprise"]["credit_code"] == app.enterprise.credit_code
    assert body["agency"] == {"name": app.agency.name, "credit_code": app.agency.credit_code}
    assert body["certificate_number"] == world.grade.certificate_number
    assert body["self_level"] == 2
    assert body["state_changed_at"] == local_iso(app.state_changed_at)
    assert body["state_changed_at"].endswith("+08:00")  # Beijing time, as everywhere on the site
    version = app.versions.get()
    assert body["versions"] == [
        {
            "number": 1,
            "submitted_at": local_iso(version.submitted_at),
            "edition": "shunyi-2024",
            "score": version.result["score"],
            "level": version.result["level"],
        }
    ]


def test_labels_follow_the_callers_language(world, call):
    response = call(
        "get",
        f"/api/applications/{world.own.number}",
        token=world.tokens["bureau"],
        headers={"accept-language": "en"},
    )
    assert response.json()["state_label"] == "Certified"


def test_the_list_filters_by_state(world, call):
    body = get(call, world, "/api/applications", state="submitted")
    assert [a["number"] for a in body["results"]] == [world.submitted.number]
    assert body["results"][0]["agency"] is None and body["results"][0]["certificate_number"] is None


def test_keyset_pages_walk_every_application_once(world, call):
    for _ in range(4):
        helpers.application(factories.enterprise(), state=S.ACCEPTED)
    expected = {a.number for a in bureau.bureau_applications()}
    seen, url, pages = [], "/api/applications?page_size=2", 0
    while url:
        body = call("get", url, token=world.tokens["bureau"]).json()
        seen += [a["number"] for a in body["results"]]
        url, pages = body["next"], pages + 1
    assert len(seen) == len(set(seen)) == len(expected) == 7 and set(seen) == expected
    assert pages == 4


def test_a_grade_as_the_verify_page_shows_it(world, call):
    grade = world.grade
    CertificateFile.objects.create(grade=grade, sha256="a" * 64, issued_at=timezone.now())
    frozen = grade.holder_name
    grade.enterprise.name = "北京顺义改名后有限公司"
    grade.enterprise.save()
    body = get(call, world, f"/api/grades/{grade.certificate_number.lower()}")
    assert body == {
        "certificate_number": grade.certificate_number,
        "holder_name": frozen,
        "holder_credit_code": grade.holder_credit_code,
        "level": 2,
        "level_name": "二级（规范级）",
        "approved_at": local_iso(grade.approved_at),
        "valid": True,
        "status": "valid",
        "status_label": "有效",
        "revoked_at": None,
        "application_number": world.own.number,
        "certificate_sha256": ["a" * 64],
    }
    page = call("get", f"/verify/{grade.certificate_number}/").content.decode()
    assert frozen in page and "改名后" not in page  # the same holder as the public page


def test_a_revoked_grade_says_so(world, call):
    from assessments.lifecycle import transition

    transition(
        world.own,
        "revoke",
        by=world.personas.bureau,
        reason="材料不实",
        basis="false_material",
        basis_text="抽验发现材料不实",
    )
    body = get(call, world, f"/api/grades/{world.grade.certificate_number}", persona="agency")
    assert (body["valid"], body["status"], body["status_label"]) == (False, "revoked", "已撤销")
    assert body["revoked_at"].endswith("+08:00")


def test_a_superseded_grade_says_so_and_names_its_case(world, call):
    """A re-check changed the level: the old certificate reads 已被替换 (not 已撤销), still under its case."""
    from supervision.publication import reissue_grade

    old = world.grade
    new = reissue_grade(old, level=old.level - 1, by=world.personas.bureau)
    body = get(call, world, f"/api/grades/{old.certificate_number}", persona="bureau")
    assert (body["valid"], body["status"], body["status_label"]) == (False, "superseded", "已被替换")
    assert body["application_number"] == world.own.number
    body = get(call, world, f"/api/grades/{new.certificate_number}", persona="bureau")
    assert (body["valid"], body["status"], body["level"]) == (True, "valid", old.level - 1)


def test_statistics_are_the_dashboards_figures(world, call):
    helpers.application(factories.enterprise(industry="retail"), state=S.ACCEPTED)
    body = get(call, world, "/api/statistics")
    dashboard = bureau.dashboard()
    assert [(s["state"], s["count"]) for s in body["by_state"]] == [
        (v, n) for v, _l, n in dashboard["states"]
    ]
    assert [(x["level"], x["count"]) for x in body["by_level"]] == dashboard["levels"]
    assert body["total"] == dashboard["total"] == 4
    assert body["valid_grades"] == dashboard["valid_grades"] == 1
    by_industry = {x["industry"]: x["count"] for x in body["by_industry"]}
    assert by_industry["retail"] == 1 and sum(by_industry.values()) == 4
    assert {"state": "approved", "label": "已认定", "count": 1} in body["by_state"]


def test_statistics_take_the_dashboards_filters(world, call):
    body = get(call, world, "/api/statistics", agency=world.personas.agency.pk)
    assert body["total"] == 1 and body["valid_grades"] == 1
    assert get(call, world, "/api/statistics", start="2999-01-01")["total"] == 0
    response = call("get", "/api/statistics?start=yesterday", token=world.tokens["bureau"])
    assert response.status_code == 422 and response.json()["code"] == "invalid_parameters"


# ---- query counts: constant in the data size -------------------------------------------------------------


def queries(call, world, path, persona="bureau") -> int:
    # a first request writes the token's last use (once a minute): the counted one is an ordinary request
    call("get", path, token=world.tokens[persona])
    with CaptureQueriesContext(connection) as ctx:
        response = call("get", path, token=world.tokens[persona])
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_cases(personas, n):
    for _ in range(n):
        ent = factories.enterprise()
        helpers.application(ent, state=S.IN_REVIEW, agency=personas.agency)
        helpers.approved(ent, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau)


@pytest.mark.parametrize("path", ["/api/applications", "/api/grades", "/api/statistics"])
def test_query_counts_do_not_grow_with_the_data(world, call, path):
    persona = "bureau"
    small = queries(call, world, path, persona)
    add_cases(world.personas, 6)
    assert queries(call, world, path, persona) == small
    if path != "/api/statistics":
        # + 1: the agency's grades ask once whether any grade was ever superseded (selectors.of_applications)
        assert queries(call, world, path, "agency") <= small + 1
