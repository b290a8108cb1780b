"""Writes one audit row per inserted/updated/deleted business record, for every domain.

Models opt in with `__audit__ = True`; secret columns listed in `__audit_secret__` are
recorded as changed but never with their values; bookkeeping columns in `__audit_ignore__`
(e.g. last login time) do not make an update worth a row on their own.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from assets_app.audit.context import current_actor
from assets_app.audit.models import AuditLog
from assets_app.common.bulk import insert_rows
from assets_app.db import utcnow


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _snapshot(obj, secret) -> dict:
    state = inspect(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        value = getattr(obj, attr.key, None)
        out[attr.key] = "***" if attr.key in secret else _plain(value)
    return out


def _diff(obj, secret, ignore=frozenset()) -> dict:
    state = inspect(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        if attr.key in ignore:
            continue
        hist = state.attrs[attr.key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if _plain(old) == _plain(new):
            continue
        if attr.key in secret:
            out[attr.key] = ["***", "***"]
        else:
            out[attr.key] = [_plain(old), _plain(new)]
    return out


def _identity(obj) -> str:
    # New rows have their primary key by after_flush but not yet their identity key.
    ident = inspect(obj).mapper.primary_key_from_instance(obj)
    return ",".join(str(i) for i in ident)


def _region(obj) -> str | None:
    try:
        return getattr(obj, "region_code", None)
    except Exception:  # a derived property may need a lazy load we cannot do here
        return None


@event.listens_for(Session, "before_flush")
def _guard_append_only(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        append_only = isinstance(obj, AuditLog) or getattr(obj, "__append_only__", False)
        if append_only and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError(
                f"{type(obj).__name__} hanya boleh ditambah, tidak diubah/dihapus"
            )


@event.listens_for(Session, "after_flush")
def _write_audit_rows(session, flush_context):
    user_id, actor, ip = current_actor()
    rows = []
    groups = (("insert", session.new), ("update", session.dirty), ("delete", session.deleted))
    with session.no_autoflush:
        _collect(groups, rows, user_id, actor, ip, session)
    if rows:
        session.connection().execute(sa.insert(AuditLog), rows)


def _collect(groups, rows, user_id, actor, ip, session):
    for action, objs in groups:
        for obj in objs:
            if not getattr(type(obj), "__audit__", False):
                continue
            secret = getattr(type(obj), "__audit_secret__", frozenset())
            if action == "update":
                if not session.is_modified(obj, include_collections=False):
                    continue
                changes = _diff(obj, secret, getattr(type(obj), "__audit_ignore__", frozenset()))
                if not changes:
                    continue
            else:
                changes = _snapshot(obj, secret)
            rows.append(
                {
                    "at": utcnow(),
                    "user_id": user_id,
                    "actor": actor[:80],
                    "action": action,
                    "entity": type(obj).__tablename__,
                    "entity_id": _identity(obj),
                    "region_code": _region(obj),
                    "changes": changes,
                    "ip": ip,
                }
            )


def record_bulk_insert(session, entity: str, records, *, by=None) -> None:
    """Audit rows for rows inserted in bulk (`INSERT … executemany` bypasses the flush hooks
    above): `records` yields (entity_id, region_code, changes). The actor is the request's or
    CLI's; `by` (a user) names it when there is neither (tests, scripts)."""
    user_id, actor, ip = current_actor()
    if user_id is None and getattr(by, "id", None) is not None:
        user_id, actor = by.id, by.username
    now = utcnow()
    rows = [
        {
            "at": now,
            "user_id": user_id,
            "actor": actor[:80],
            "action": "insert",
            "entity": entity,
            "entity_id": str(entity_id),
            "region_code": region_code,
            "changes": {k: _plain(v) for k, v in changes.items()},
            "ip": ip,
        }
        for entity_id, region_code, changes in records
    ]
    insert_rows(session, AuditLog.__table__, rows)
