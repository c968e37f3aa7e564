"""The core app took over tables that other apps made (the audit trail from supervision; the outbox, task
receipts and jobs from documents) and accounts took the pilot roster: an existing database migrates forward
with every row where it was, read through the new models."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import RosterEntry
from core.models import AuditEvent, BackgroundJob, OutboxMessage, TaskReceipt
from tests.conftest import allow_flushing_the_audit_trail

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("migrations")]

# The last migrations before the move: the shape of a database made before the core app existed.
BEFORE = [
    ("core", None),
    ("accounts", "0003_enterprise_industry_known"),
    ("supervision", "0002_certificatesequence_rosterimport_sample_recheck"),
    ("documents", "0001_initial"),
]


def _migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    # The models as the database now is (the historical models of the applied migrations).
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


def test_an_old_database_keeps_its_rows_through_the_move():
    old = _migrate(BEFORE)
    User = old.get_model("accounts", "User")
    bureau = User.objects.create(username="old-bureau", role="bureau")
    entry = old.get_model("supervision", "RosterEntry").objects.create(
        credit_code="91110113MA00000001", name="旧企业"
    )
    old.get_model("supervision", "AuditEvent").objects.create(
        actor=bureau,
        action="roster.add",
        object_type="supervision.rosterentry",
        object_id=str(entry.pk),
        summary="旧记录",
        detail={"credit_code": "X"},
        client_address="10.0.0.1",
    )
    old.get_model("documents", "OutboxMessage").objects.create(
        task="documents.tasks.regrade_edition", kwargs={"edition": "shunyi-2024"}
    )
    old.get_model("documents", "TaskReceipt").objects.create(key="notification-email:1")
    old.get_model("documents", "BackgroundJob").objects.create(kind="export", created_by=bureau, percent=40)

    _migrate(_latest())
    allow_flushing_the_audit_trail()  # migrating down and up again made the unlock table anew

    event = AuditEvent.objects.get(action="roster.add")
    assert (event.actor.username, event.summary, event.detail, event.client_address) == (
        "old-bureau",
        "旧记录",
        {"credit_code": "X"},
        "10.0.0.1",
    )
    # Written before events were facts: the actor is kept as the account is, the text as it was written.
    assert event.actor_snapshot == {
        "username": "old-bureau",
        "name": "",
        "role": "bureau",
        "organisation": "",
    }
    assert event.text == "旧记录" and event.action_label == "加入试点名单"
    call_command("verify_audit", stdout=StringIO())  # the old rows were chained by the migration
    assert RosterEntry.objects.get(credit_code="91110113MA00000001").name == "旧企业"
    assert event.object_type == "accounts.rosterentry"  # the entry's history still finds its events
    # A queued task that moved to the app it works for still runs under its new name.
    assert OutboxMessage.objects.get().task == "assessments.tasks.regrade_edition"
    assert TaskReceipt.objects.filter(key="notification-email:1").exists()
    assert BackgroundJob.objects.get().percent == 40
    assert AuditEvent._meta.db_table == "supervision_auditevent"
    assert BackgroundJob._meta.db_table == "documents_backgroundjob"


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
