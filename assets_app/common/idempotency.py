"""Idempotency keys, shared by every write that a client may resend (the ticket form and API,
the daily report and its offline queue).

A client sends a key it made (`Idempotency-Key` header, or a hidden field); the first request
with that key claims it and records what it made (`subject`, `subject_id`); a resend with the
same key and the same content answers with that object and writes nothing. The same key with
another content is refused. The claim is made (in a savepoint on PostgreSQL) just before the writes, so a
concurrent duplicate waits on the unique row, fails it, and replays instead of writing twice;
a request that fails (validation, any error) rolls back its claim with it, so a key is spent
only by a write that happened.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from assets_app.common.errors import ValidationFailed
from assets_app.common.timeutil import dialect
from assets_app.db import Base, UTCDateTime, utcnow
from assets_app.extensions import db

MAX_KEY = 100
REUSED = "Kunci Idempotency-Key ini sudah dipakai untuk permintaan dengan isi berbeda."


class IdempotencyKey(Base):
    """One per (user, key): what the first request with that key made."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(sa.String(100))
    fingerprint: Mapped[str | None] = mapped_column(sa.String(64))
    subject: Mapped[str] = mapped_column(sa.String(30), server_default="ticket")
    subject_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def fingerprint(payload: dict) -> str:
    """SHA-256 of the request's content, canonical JSON (key order and types ignored)."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def clean_key(key: str | None) -> str | None:
    key = (key or "").strip() or None
    if key is not None and len(key) > MAX_KEY:
        raise ValidationFailed(errors={"idempotency_key": [f"Maksimal {MAX_KEY} karakter."]})
    return key


def _row(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        sa.select(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
        )
    )


def _answer(row: IdempotencyKey, subject: str, fp: str | None) -> int | None:
    if row.subject != subject or (
        fp is not None and row.fingerprint is not None and row.fingerprint != fp
    ):
        raise ValidationFailed(errors={"idempotency_key": [REUSED]})
    return row.subject_id


def replayed(by, subject: str, key: str | None, fp: str | None) -> int | None:
    """The id of what this key made before (a resend), else None. Refuses a key that was
    used for another subject or content."""
    if key is None:
        return None
    row = _row(by.id, key)
    return None if row is None else _answer(row, subject, fp)


def claim(by, subject: str, key: str | None, fp: str | None):
    """Claims the key before the writes. Returns (claim, None) — set `claim.subject_id`
    once the object exists — or (None, id) when a concurrent request claimed it first."""
    if key is None:
        return None, None
    row = IdempotencyKey(user_id=by.id, key=key, fingerprint=fp, subject=subject)
    try:
        if dialect() == "sqlite":
            # pysqlite opens no transaction before the first write, so a SAVEPOINT here
            # would be the outermost one and its RELEASE would commit the claim even if the
            # request later fails. SQLite writes one at a time: a plain flush waits for a
            # concurrent claim, and nothing was written before it, so a rollback is safe.
            db.session.add(row)
            db.session.flush()
        else:
            with db.session.begin_nested():
                db.session.add(row)
    except IntegrityError:
        if dialect() == "sqlite":
            db.session.rollback()
        existing = _row(by.id, key)
        if existing is None:
            raise
        return None, _answer(existing, subject, fp)
    return row, None
