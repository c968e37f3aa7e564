"""The audit trail's hash chain: each event stores the SHA-256 of its own content and the previous event's
hash, so an edited, removed or inserted row breaks every link after it (`manage.py verify_audit`).

Appending takes a lock so concurrent writers never fork the chain: on PostgreSQL a transaction-level advisory
lock (held until the writer's transaction commits, so the next writer reads the hash just committed); every
database also has a unique `prev_hash`, so two events can never claim the same predecessor.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import connection

GENESIS = "0" * 64
# pg_advisory_xact_lock key of the audit trail ("audit" in ASCII).
LOCK_KEY = 0x6175646974


def content(event) -> dict:
    """What the hash covers: every stored fact of the event except its row id and its own hash."""
    return {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_snapshot": event.actor_snapshot or {},
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "application": event.application_id,
        "summary": event.summary,
        "detail": event.detail if event.detail is not None else {},
        "client_address": event.client_address,
        "prev_hash": event.prev_hash,
    }


def digest(event) -> str:
    text = json.dumps(content(event), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def lock() -> None:
    """Serialise appends until the current transaction ends (PostgreSQL; SQLite writers are serialised by the
    database's own write lock, and the unique prev_hash refuses a fork anywhere)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


@dataclass(frozen=True)
class ChainState:
    ok: bool
    checked: int
    first_broken: int | None = None  # the id of the first event whose link does not hold
    problem: str = ""
    last_hash: str = ""
    last_id: int | None = None  # the last event checked (a complete walk: the newest)
    full_check_at: object = None  # when the walk this continues from was made (None: walked from the start)
    behind: bool = False  # more events since the last full walk than a page checks: those were not checked


def verify(events, *, previous: str = GENESIS, checked: int = 0) -> ChainState:
    """Walk events in id order (an iterable of AuditEvent), recomputing every hash and link; `previous` and
    `checked`: where an earlier walk stopped (the hash of its last event and how many it checked)."""
    last_id = None
    for event in events:
        if event.prev_hash != previous:
            return ChainState(False, checked, event.pk, "prev_hash", previous)
        if event.hash != digest(event):
            return ChainState(False, checked, event.pk, "hash", previous)
        previous = event.hash
        last_id = event.pk
        checked += 1
    return ChainState(True, checked, None, "", previous, last_id)
