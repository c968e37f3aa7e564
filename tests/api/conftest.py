"""The API's world: a case of each agency (one approved, with its grade), a draft nobody but the enterprise
sees, and a token for each persona — bureau, agency (own and other), revoked, made-up."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from api import services
from api.models import TokenScope
from assessments.models import ApplicationState as S
from tests import factories
from tests.supervision import helpers


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit counts of an earlier test never leak into this one
    yield
    cache.clear()


def token(scope=TokenScope.BUREAU, agency=None, name="测试系统") -> str:
    return services.create_token(name=name, scope=scope, agency=agency)[1]


@pytest.fixture
def world(personas):
    own = helpers.approved(
        personas.enterprise, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau
    )
    other = helpers.application(personas.other_enterprise, state=S.IN_REVIEW, agency=personas.other_agency)
    submitted = helpers.application(factories.enterprise("北京顺义新申请有限公司"), state=S.SUBMITTED)
    draft = factories.application(factories.enterprise("北京顺义草稿有限公司"), state=S.DRAFT)
    revoked = token(name="已吊销的系统")
    services.revoke_token(token=services.token_for(revoked))
    return SimpleNamespace(
        personas=personas,
        own=own,
        other=other,
        submitted=submitted,
        draft=draft,
        grade=own.grade,
        tokens={
            "bureau": token(),
            "agency": token(TokenScope.AGENCY, personas.agency, name="评测中心系统"),
            "other_agency": token(TokenScope.AGENCY, personas.other_agency, name="另一机构系统"),
            "revoked": revoked,
            "bad": "syapi_" + "x" * 43,
        },
    )


@pytest.fixture
def call():
    """call(method, path, token=None, client=None, **kw) -> response (a bearer token if given)."""

    def run(method, path, token=None, client=None, **kw):
        c = client or Client()
        headers = kw.pop("headers", {})
        if token:
            headers["authorization"] = f"Bearer {token}"
        return getattr(c, method)(path, headers=headers, **kw)

    return run
