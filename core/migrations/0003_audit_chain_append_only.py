# A tamper-evident trail (issue 10 point 3): each event stores the SHA-256 of its content and the previous
# event's hash (existing rows are chained here, in id order); then the database itself refuses UPDATE and
# DELETE on the table — a trigger on PostgreSQL and on SQLite. Nothing in the application changes an event;
# `manage.py verify_audit` finds a row changed behind the trigger's back.

import django.utils.timezone
from django.db import migrations, models

from core import chain

TABLE = "supervision_auditevent"

POSTGRES_UP = [
    """
    CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'The audit trail is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    f"""
    CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only()
    """,
]
POSTGRES_DOWN = [
    f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS core_audit_append_only()",
]
# SQLite has no session settings: DELETE is refused unless a row sits in core_audit_unlock, a table no model
# knows (so Django's flush leaves it alone). Only the test suite puts a row there, to flush between tests;
# production never does, and the trail's own tests take it away again.
SQLITE_UP = [
    "CREATE TABLE IF NOT EXISTS core_audit_unlock (reason TEXT NOT NULL)",
    f"""
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE}
    WHEN NOT EXISTS (SELECT 1 FROM core_audit_unlock)
    BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: DELETE refused'); END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
    "DROP TABLE IF EXISTS core_audit_unlock",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, None)  # no parameters: the % in RAISE is plpgsql's own


def triggers_up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, POSTGRES_UP if vendor == "postgresql" else SQLITE_UP if vendor == "sqlite" else [])


def triggers_down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, POSTGRES_DOWN if vendor == "postgresql" else SQLITE_DOWN if vendor == "sqlite" else [])


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    previous = chain.GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        event.prev_hash = previous
        event.hash = chain.digest(event)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)
        previous = event.hash


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_audit_actor_snapshot'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(blank=True, max_length=64, verbose_name='上一条的哈希'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, max_length=64, verbose_name='哈希'),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(max_length=64, unique=True, verbose_name='上一条的哈希'),
        ),
        migrations.RunPython(triggers_up, triggers_down),
    ]
