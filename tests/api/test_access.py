"""Every endpoint of the API as every persona: no token, a made-up token, a revoked one, a signed-in browser
session (enterprise or bureau: the pages' login is not the API's), a bureau token and agency tokens (their own
case and another agency's). The same access rules as the pages: outsiders get 404, never a hint."""

import json

import pytest

from api.endpoints import api
from tests import factories

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "bad",
    "revoked",
    "enterprise_session",
    "bureau_session",
    "bureau",
    "agency",
    "other_agency",
]
REFUSED = {"anonymous": "token_required", "bad": "token_invalid", "revoked": "token_revoked"}
REFUSED |= {"enterprise_session": "token_required", "bureau_session": "token_required"}

# endpoint → (method, path template, expected status per token persona)
ENDPOINTS = {
    "applications": ("get", "/api/applications", {"bureau": 200, "agency": 200, "other_agency": 200}),
    "own_application": ("get", "/api/applications/{number}", {"bureau": 200, "agency": 200, "other_agency": 404}),
    "other_application": ("get", "/api/applications/{number}", {"bureau": 200, "agency": 404, "other_agency": 200}),
    "submitted_application": ("get", "/api/applications/{number}", {"bureau": 200, "agency": 404, "other_agency": 404}),
    "draft_application": ("get", "/api/applications/{number}", {"bureau": 404, "agency": 404, "other_agency": 404}),
    "grades": ("get", "/api/grades", {"bureau": 200, "agency": 200, "other_agency": 200}),
    "own_grade": ("get", "/api/grades/{certificate_number}", {"bureau": 200, "agency": 200, "other_agency": 404}),
    "statistics": ("get", "/api/statistics", {"bureau": 200, "agency": 403, "other_agency": 403}),
    "grade": ("post", "/api/grade", {"bureau": 200, "agency": 200, "other_agency": 200}),
}  # fmt: skip


def url_of(world, endpoint: str) -> str:
    path = ENDPOINTS[endpoint][1]
    case = {
        "own_application": world.own,
        "other_application": world.other,
        "submitted_application": world.submitted,
        "draft_application": world.draft,
    }.get(endpoint)
    return path.format(
        number=case.number if case else "",
        certificate_number=world.grade.certificate_number,
    )


def request_as(world, call, client_for, persona, endpoint):
    method = ENDPOINTS[endpoint][0]
    kw = {}
    if method == "post":
        kw = {"data": json.dumps(factories.answer_set(2)), "content_type": "application/json"}
    client = None
    if persona == "enterprise_session":
        client = client_for(world.personas.owner)
    elif persona == "bureau_session":
        client = client_for(world.personas.bureau)
    return call(method, url_of(world, endpoint), token=world.tokens.get(persona), client=client, **kw)


def test_every_operation_of_the_schema_is_walked():
    schema = api.get_openapi_schema(path_prefix="/api/")
    operations = {(m, "/api" + p.removeprefix("/api")) for p, ops in schema["paths"].items() for m in ops}
    walked = {(m, p) for m, p, _expected in ENDPOINTS.values()}
    assert operations == walked


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_endpoint_as_persona(world, call, client_for, persona, endpoint):
    response = request_as(world, call, client_for, persona, endpoint)
    body = response.json()
    if persona in REFUSED:
        assert response.status_code == 401, body
        assert body["code"] == REFUSED[persona]
        assert body["detail"]
        return
    expected = ENDPOINTS[endpoint][2][persona]
    assert response.status_code == expected, (persona, endpoint, body)
    assert response["Cache-Control"] == "no-store"
    if expected == 404:
        assert body == {"detail": "未找到，或无权查看。", "code": "not_found"}
    if expected == 403:
        assert body["code"] == "forbidden"


@pytest.mark.parametrize(
    ("persona", "applications", "grades"),
    [
        ("bureau", {"own", "other", "submitted"}, {"own"}),
        ("agency", {"own"}, {"own"}),
        ("other_agency", {"other"}, set()),
    ],
)
def test_lists_hold_exactly_what_the_pages_show(world, call, persona, applications, grades):
    numbers = {"own": world.own.number, "other": world.other.number, "submitted": world.submitted.number}
    listed = call("get", "/api/applications", token=world.tokens[persona]).json()["results"]
    assert {a["number"] for a in listed} == {numbers[k] for k in applications}
    assert world.draft.number not in {a["number"] for a in listed}
    certificates = call("get", "/api/grades", token=world.tokens[persona]).json()["results"]
    expected = {world.grade.certificate_number} if grades else set()
    assert {g["certificate_number"] for g in certificates} == expected


def test_refusals_are_in_the_callers_language(world, call):
    english = {"accept-language": "en"}
    response = call("get", "/api/applications", headers=english)
    assert response.json()["detail"] == "A valid access token is required (Authorization: Bearer …)."
    response = call("get", "/api/applications", token=world.tokens["revoked"], headers=english)
    assert response.json()["detail"] == "This access token has been revoked."
    response = call("get", "/api/applications/NOPE", token=world.tokens["bureau"], headers=english)
    assert response.json()["detail"] == "Not found, or not yours to see."
    response = call("get", "/api/statistics", token=world.tokens["agency"], headers=english)
    assert response.json()["detail"] == "Statistics are open to bureau tokens only."


def test_a_token_in_another_scheme_or_a_cookie_is_not_accepted(world, call):
    raw = world.tokens["bureau"]
    assert call("get", "/api/grades", headers={"authorization": f"Token {raw}"}).status_code == 401
    assert call("get", f"/api/grades?token={raw}").status_code == 401


@pytest.mark.parametrize("persona", ["bureau", "agency"])
def test_a_grade_superseded_after_a_recheck_stays_in_every_scope_that_saw_its_case(world, call, persona):
    """The agency graded the case: after a re-check changed the level it still sees the old certificate, as
    the bureau and the public verify page do — status superseded (已被替换), beside the one that replaced it.
    Twice reissued, the first certificate is still there; another agency sees none of them."""
    from supervision.publication import reissue_grade

    old = world.grade
    middle = reissue_grade(old, level=old.level - 1, by=world.personas.bureau)
    new = reissue_grade(middle, level=old.level, by=world.personas.bureau)
    listed = call("get", "/api/grades", token=world.tokens[persona]).json()["results"]
    status = {g["certificate_number"]: g["status"] for g in listed}
    assert status == {
        old.certificate_number: "superseded",
        middle.certificate_number: "superseded",
        new.certificate_number: "valid",
    }
    for grade in (old, middle):
        response = call("get", f"/api/grades/{grade.certificate_number}", token=world.tokens[persona])
        assert response.status_code == 200
        assert (response.json()["status_label"], response.json()["application_number"]) == (
            "已被替换",
            world.own.number,
        )
    assert "已被替换" in call("get", f"/verify/{old.certificate_number}/").content.decode()
    other = call("get", "/api/grades", token=world.tokens["other_agency"]).json()["results"]
    assert other == []
    response = call("get", f"/api/grades/{old.certificate_number}", token=world.tokens["other_agency"])
    assert response.status_code == 404
