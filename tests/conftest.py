import os
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests import factories

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Hypothesis: in CI (CI=true) the same examples every run (a red build is reproducible, never a lucky draw),
# no per-example deadline on a shared runner, no example database; locally random, with a generous deadline.
hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile("dev", deadline=timedelta(seconds=1))
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """One fast hasher for the whole suite: nothing here is about hashing cost, and personas are many."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def allow_flushing_the_audit_trail() -> None:
    """SQLite's trigger refuses DELETE on the audit table unless core_audit_unlock holds a row (core migration
    0003); Django empties the database between transactional tests with DELETE, so the suite unlocks it.
    PostgreSQL empties tables with TRUNCATE, which the row trigger does not see: nothing to unlock there."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM core_audit_unlock")
            if not cursor.fetchone()[0]:
                cursor.execute(
                    "INSERT INTO core_audit_unlock (reason) VALUES ('test suite: flush between tests')"
                )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        allow_flushing_the_audit_trail()


@pytest.fixture(autouse=True)
def _eager_tasks_and_test_storage(request, settings, tmp_path):
    """Tasks run in process unless a test is about the real worker; uploaded files go to a temporary folder (mail goes to the locmem outbox: Django sets that)."""
    from shunyi_eval.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    eager = request.node.get_closest_marker("worker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous
    # A request in English leaves English active in this thread (LocaleMiddleware activates, nothing resets):
    # the next test starts in the site's language again.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def personas(db):
    """Fixed personas: the enterprise and a colleague, an outsider enterprise, an agency with its admin and two
    experts, another agency with its admin and expert, and the bureau."""
    ent = factories.enterprise("北京顺义精工机械有限公司")
    other_ent = factories.enterprise("北京顺义外部科技有限公司")
    ag = factories.agency("北京数字化评测中心")
    other_ag = factories.agency("北京另一评测机构")
    return SimpleNamespace(
        enterprise=ent,
        other_enterprise=other_ent,
        agency=ag,
        other_agency=other_ag,
        owner=factories.enterprise_user("owner", ent, full_name="王经理"),
        colleague=factories.enterprise_user("colleague", ent, full_name="李会计"),
        outsider=factories.enterprise_user("outsider", other_ent, full_name="赵外人"),
        agency_admin=factories.agency_admin("agency-admin", ag),
        expert=factories.expert("expert", ag, full_name="陈专家"),
        expert2=factories.expert("expert2", ag, full_name="刘专家"),
        other_agency_admin=factories.agency_admin("other-agency-admin", other_ag),
        other_expert=factories.expert("other-expert", other_ag, full_name="周专家"),
        bureau=factories.bureau("bureau", full_name="区经信局审核员"),
    )


@pytest.fixture
def working(personas):
    """The persona enterprise's working self-assessment (empty)."""
    from assessments import services

    return services.working_assessment(enterprise=personas.enterprise, by=personas.owner)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user (None = anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make
