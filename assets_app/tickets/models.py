"""Repair tickets from the kecamatan, their append-only events, attachments, SLA settings,
double-submit keys (in-app notifications live in the notify outbox)."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assets_app.common import vocab
from assets_app.db import AppendOnly, Base, TimestampMixin, UTCDateTime, label_property, utcnow

OPEN_STATUSES = ("baru", "diterima", "dikerjakan", "menunggu_pihak_ketiga")
DONE_STATUSES = ("selesai", "ditutup")

EVENT_KINDS = {
    "transition": "Perubahan status",
    "comment": "Komentar",
    "assign": "Penugasan",
    "party": "Pihak penanggung jawab",
    "escalation": "Eskalasi",
    "attachment": "Lampiran",
}


class Ticket(TimestampMixin, Base):
    __tablename__ = "tickets"
    # the figures read the day being filed (`stats.ticket_stats_by_region`) from here
    __table_args__ = (
        sa.Index("ix_tickets_created_at", "created_at"),
        # the overdue count of every page's inbox: an index-only scan of the open tickets
        # (their rows lie scattered over the whole table)
        sa.Index(
            "ix_tickets_status_due", "status", "region_code", "resolve_due_at", "accept_due_at"
        ),
    )
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    asset_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assets.id"), index=True)
    category: Mapped[str] = mapped_column(sa.String(20), index=True)
    urgency: Mapped[str] = mapped_column(sa.String(10))
    impact: Mapped[str] = mapped_column(sa.String(10))
    priority: Mapped[str] = mapped_column(sa.String(10), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(24), index=True, default="baru")
    responsible_party: Mapped[str] = mapped_column(sa.String(20), index=True)
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    reopened_count: Mapped[int] = mapped_column(default=0)
    escalation_level: Mapped[int] = mapped_column(default=0)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # SLA cache, rewritten from the events by services.refresh_sla (each change, each cron run):
    # the instant each clock reaches its target — projected while it runs, actual once reached.
    accept_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    resolve_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    region = relationship("Region", lazy="raise_on_sql")
    asset = relationship("Asset", lazy="raise_on_sql")
    assignee = relationship("User", foreign_keys=[assignee_id], lazy="raise_on_sql")
    reporter = relationship("User", foreign_keys=[reporter_id], lazy="raise_on_sql")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    status_label = label_property("status", vocab.TICKET_STATUS)
    priority_label = label_property("priority", vocab.TICKET_PRIORITY)
    category_label = label_property("category", vocab.TICKET_CATEGORY)
    party_label = label_property("responsible_party", vocab.RESPONSIBLE_PARTY)

    def is_overdue(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        if not self.is_open:
            return False
        if self.resolve_due_at is not None and self.resolve_due_at <= now:
            return True
        return (
            self.status == "baru" and self.accept_due_at is not None and self.accept_due_at <= now
        )

    def __repr__(self) -> str:
        return f"<Ticket {self.number} {self.status}>"


class TicketEvent(AppendOnly, Base):
    """Append-only history: transitions, comments, assignment, party, escalation."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    from_value: Mapped[str | None] = mapped_column(sa.String(40))
    to_value: Mapped[str | None] = mapped_column(sa.String(40))
    note: Mapped[str | None] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    author = relationship("User", lazy="raise_on_sql")

    @property
    def kind_label(self) -> str:
        return EVENT_KINDS.get(self.kind, self.kind)


class TicketAttachment(Base):
    __tablename__ = "ticket_attachments"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("tickets.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    stored_path: Mapped[str] = mapped_column(sa.String(200))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class SlaTarget(Base):
    """Time to accept (hours of the calendar) and to resolve (days of the calendar) of one
    priority: `region_code` NULL is the installation default, a kab/kota code that kab/kota's
    own target (it applies to the tickets of that kab/kota only)."""

    __tablename__ = "sla_targets"
    __table_args__ = (sa.UniqueConstraint("region_code", "priority"),)
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    priority: Mapped[str] = mapped_column(sa.String(10))
    accept_hours: Mapped[int] = mapped_column()
    resolve_days: Mapped[int] = mapped_column()


class SlaSetting(Base):
    """The working calendar: the installation default (`region_code` NULL) and one row per
    kab/kota that set its own."""

    __tablename__ = "sla_settings"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"), unique=True)
    mode: Mapped[str] = mapped_column(sa.String(10), default="kerja")
    day_start: Mapped[time] = mapped_column(sa.Time, default=time(7, 30))
    day_end: Mapped[time] = mapped_column(sa.Time, default=time(16, 0))
    workdays: Mapped[str] = mapped_column(sa.String(20), default="0,1,2,3,4")


class Holiday(Base):
    """A day off: national (`region_code` NULL, every kab/kota) or of one kab/kota."""

    __tablename__ = "holidays"
    __table_args__ = (sa.UniqueConstraint("region_code", "day"),)
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    day: Mapped[date] = mapped_column(sa.Date, index=True)
    name: Mapped[str] = mapped_column(sa.String(120))

    @property
    def is_national(self) -> bool:
        return self.region_code is None


class TicketDaily(Base):
    """Rekap harian tiket (rollup): tickets filed per kecamatan per WIB day, counted by
    `tickets.daily` in the same transaction as the filing; re-derived by `flask rollups`."""

    __tablename__ = "ticket_daily"

    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    filed: Mapped[int] = mapped_column(default=0)
