"""The outbox (every notice is a row before anything is sent), channel preferences per user
and per role, open condition episodes, and the record of scheduled job runs."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assets_app.auth.models import User
from assets_app.db import Base, UTCDateTime, utcnow


class OutboxMessage(Base):
    """One notice to one person on one channel. `aplikasi` rows are the in-app list (sent the
    moment they are written, `read_at` when opened); `email`/`whatsapp` rows wait in `antri`
    until a delivery succeeds (`terkirim`) or the attempts run out (`gagal`)."""

    __tablename__ = "notify_outbox"
    __table_args__ = (
        sa.Index("ix_notify_outbox_user_inbox", "user_id", "channel", "read_at"),
        sa.Index("ix_notify_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(sa.String(10))
    kind: Mapped[str] = mapped_column(sa.String(20), index=True)
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str | None] = mapped_column(sa.String(300))
    related_type: Mapped[str | None] = mapped_column(sa.String(20))
    related_id: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(sa.String(10), default="antri")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # A job's notice carries a key naming what it is about; a re-run inserts nothing twice.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")

    # The in-app list's names (templates and the tickets domain read these).
    @property
    def title(self) -> str:
        return self.subject

    @property
    def url(self) -> str | None:
        return self.link


class ChannelPreference(Base):
    """A user's choice of channels for one kind of notice (comma-separated, may be empty)."""

    __tablename__ = "notify_preferences"
    __audit__ = True

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    channels: Mapped[str] = mapped_column(sa.String(40), default="")


class RoleDefault(Base):
    """The admin's default channels for a role and kind of notice."""

    __tablename__ = "notify_role_defaults"
    __audit__ = True

    role: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    channels: Mapped[str] = mapped_column(sa.String(40), default="")


class Episode(Base):
    """A condition that is true now (a location low on blanko, a kecamatan silent): notified
    once when it starts; the row goes when the condition ends, so the next episode notifies
    again."""

    __tablename__ = "notify_episodes"

    key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobRun(Base):
    """One run of a scheduled job: when it was due, when it ran, how it ended."""

    __tablename__ = "notify_job_runs"
    __table_args__ = (sa.Index("ix_notify_job_runs_job_started", "job", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(sa.String(40))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(10), default="berhasil")
    forced: Mapped[bool] = mapped_column(default=False)
    summary: Mapped[str] = mapped_column(sa.Text, default="")
