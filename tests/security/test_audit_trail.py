"""Issue 10 point 3: a tamper-evident audit trail.

Append-only is enforced by the database (a trigger on PostgreSQL and on SQLite, made by migrations), the events
form a hash chain that `manage.py verify_audit` checks, and the client address is REMOTE_ADDR unless the request
came through a proxy named in TRUSTED_PROXIES. The refusals run on the database of the run (CI: PostgreSQL)."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test import override_settings

from core import chain
from core.audit import record
from core.models import AuditEvent
from tests.assessments.conftest import pdf

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def locked(db):
    """The trail as in production: the test suite's SQLite unlock of DELETE (for flushing) is taken away for
    this test (inside its transaction, so it is back afterwards)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_audit_unlock")


@pytest.fixture
def events(personas, locked):
    return [record(actor=personas.bureau, action="test.event", params={"n": i}) for i in range(3)]


def _rows():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, action, detail, client_address, hash, prev_hash FROM {TABLE} ORDER BY id")
        return cursor.fetchall()


def _refused(run) -> None:
    before = _rows()
    with pytest.raises(DatabaseError), transaction.atomic():
        run()
    assert _rows() == before  # nothing written


# ---- the database refuses to change history ----------------------------------------------------------------


def test_queryset_update_is_refused_by_the_database(events):
    _refused(lambda: AuditEvent.objects.filter(pk=events[0].pk).update(detail={"n": "forged"}))
    _refused(lambda: AuditEvent.objects.all().update(client_address="1.2.3.4"))


def test_queryset_delete_is_refused_by_the_database(events):
    _refused(lambda: AuditEvent.objects.filter(pk=events[1].pk).delete())


def test_raw_sql_update_and_delete_are_refused(events):
    def update():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET action = 'forged' WHERE id = %s", [events[0].pk])

    def delete():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    _refused(update)
    _refused(delete)


def test_the_triggers_exist_where_migrations_put_them(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLE]
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        names = {row[0] for row in cursor.fetchall()}
    assert names >= (
        {"audit_append_only"} if connection.vendor == "postgresql" else {"audit_no_update", "audit_no_delete"}
    )


# ---- the hash chain -----------------------------------------------------------------------------------------


def _owner_disables_the_trigger(cursor):
    # (The test's own rows have foreign-key checks pending until commit: run them now, so the table can change.)
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_append_only")


def _hand_edit(pk, **values):
    """An attacker with the database owner's rights: switch the trigger off, edit a row, switch it on again."""
    sets = ", ".join(f"{k} = %s" for k in values)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _owner_disables_the_trigger(cursor)
            cursor.execute(f"UPDATE {TABLE} SET {sets} WHERE id = %s", [*values.values(), pk])
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_append_only")
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_no_update'")
            (ddl,) = cursor.fetchone()
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute(f"UPDATE {TABLE} SET {sets} WHERE id = %s", [*values.values(), pk])
            cursor.execute(ddl)


def test_events_form_a_chain_and_verify_audit_says_it_is_intact(events, capsys):
    first, second, third = (AuditEvent.objects.get(pk=e.pk) for e in events)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert all(e.hash == chain.digest(e) for e in (first, second, third))
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


def test_a_hand_edited_row_is_found_by_verify_audit(events, personas):
    _hand_edit(events[1].pk, client_address="10.9.9.9")
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit")
    assert f"broken at event {events[1].pk}" in str(exc.value) and exc.value.returncode == 1


def test_a_removed_row_breaks_the_next_link(events):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _owner_disables_the_trigger(cursor)
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_append_only")
        else:
            cursor.execute("INSERT INTO core_audit_unlock (reason) VALUES ('attacker')")
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
            cursor.execute("DELETE FROM core_audit_unlock")
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}"):
        call_command("verify_audit")


def test_the_bureau_audit_page_shows_the_chains_state(events, client_for, personas):
    page = client_for(personas.bureau).get("/bureau/audit/").content.decode()
    assert 'data-testid="chain-ok"' in page
    _hand_edit(events[0].pk, detail='{"n": 99}')
    page = client_for(personas.bureau).get("/bureau/audit/").content.decode()
    assert 'data-testid="chain-broken"' in page and f"#{events[0].pk}" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_concurrent_writers_do_not_fork_the_chain(personas):
    errors = []

    def writer(n):
        try:
            for i in range(10):
                with transaction.atomic():
                    record(actor=personas.bureau, action="test.concurrent", params={"w": n, "i": i})
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    state = chain.verify(AuditEvent.objects.order_by("id"))
    assert state.ok and state.checked == AuditEvent.objects.count()
    assert AuditEvent.objects.filter(action="test.concurrent").count() == 40


# ---- where a request came from ------------------------------------------------------------------------------


def _download(client_for, personas, working, **meta):
    ev = working.evidence.first() or _upload(personas, working)
    response = client_for(personas.owner).get(f"/enterprise/evidence/{ev.pk}/", **meta)
    assert response.status_code == 200
    return AuditEvent.objects.filter(action="evidence.download").latest("id").client_address


def _upload(personas, working):
    from assessments import services

    return services.upload_evidence(
        assessment=working,
        target="Q2",
        upload=pdf("台账.pdf"),
        content_type="application/pdf",
        by=personas.owner,
    )


def test_a_forwarded_for_header_from_anyone_but_a_trusted_proxy_is_ignored(personas, client_for, working):
    meta = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}
    assert _download(client_for, personas, working, **meta) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_through_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client(personas, client_for, working):
    meta = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.7, 10.1.2.3"}
    assert (
        _download(client_for, personas, working, **meta) == "198.51.100.7"
    )  # 6.6.6.6: the client's own claim


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
@pytest.mark.parametrize(
    "forwarded",
    [
        "x" * 5000,
        "1" * 80,
        ", ".join(["198.51.100.7"] * 2000),
        "not-an-ip",
        "2001:db8::1" + "0" * 100,
        "\x00",
    ],
)
def test_an_over_long_or_forged_header_is_never_an_error_and_never_trusted(
    personas, client_for, working, forwarded
):
    meta = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": forwarded}
    address = _download(client_for, personas, working, **meta)
    assert address in ("10.0.0.5", "198.51.100.7") and len(address) <= 45


def test_a_forged_remote_addr_is_not_stored_as_an_address(personas, client_for, working):
    assert _download(client_for, personas, working, REMOTE_ADDR="<script>") == ""
