"""Operators, training sessions, attendance and the certificates it earns.

A certificate is an Attendance that passed: it has a number, a public verification token and
one CertificateTopic row per topic of the training, each with its own `valid_until` (frozen at
issue from the per-topic validity setting). The gap service counts operators through those
rows, so coverage is one SQL aggregate.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assets_app.common import vocab
from assets_app.db import Base, TimestampMixin, UTCDateTime, label_property, utcnow
from assets_app.regions.models import Region

DEFAULT_VALIDITY_MONTHS = 24


def in_topic_order(rows):
    """Rows with a `topic`, in the vocabulary's order (perekaman first, server last)."""
    order = list(vocab.TRAINING_TOPIC)
    return sorted(rows, key=lambda r: order.index(r.topic))


def _topic_rows(child: str, parent: str, lazy: str):
    """The one-row-per-topic children of a training or a certificate, owned by their parent."""
    return relationship(
        back_populates=parent, cascade="all, delete-orphan", order_by=f"{child}.topic", lazy=lazy
    )


class Operator(TimestampMixin, Base):
    """A person who runs equipment at a kecamatan (or at the Dinas). No NIK, no citizen data."""

    __tablename__ = "operators"
    __audit__ = True
    # Active operators of one region: the gap and plan queries join on exactly this. A lone
    # index on the boolean `active` let SQLite without statistics drive those joins through
    # every active operator (209 s at national scale), so there is none.
    __table_args__ = (sa.Index("ix_operators_region_active", "region_code", "active"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    nip: Mapped[str | None] = mapped_column(sa.String(18), unique=True)
    position: Mapped[str] = mapped_column(sa.String(120))
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    region: Mapped[Region] = relationship(lazy="raise_on_sql")

    def __repr__(self) -> str:
        return f"<Operator {self.id} {self.name} {self.region_code}>"


class Training(TimestampMixin, Base):
    """A session organised for operators of one kab/kota (its Dinas is `region_code`)."""

    __tablename__ = "trainings"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_on: Mapped[date] = mapped_column(sa.Date, index=True)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    place: Mapped[str] = mapped_column(sa.String(200))
    organiser: Mapped[str] = mapped_column(sa.String(20))
    trainer: Mapped[str | None] = mapped_column(sa.String(200))
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    materials_name: Mapped[str | None] = mapped_column(sa.String(200))
    materials_file: Mapped[str | None] = mapped_column(sa.String(80))
    materials_type: Mapped[str | None] = mapped_column(sa.String(120))
    materials_size: Mapped[int | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    region: Mapped[Region] = relationship(lazy="raise_on_sql")
    topic_rows: Mapped[list[TrainingTopic]] = _topic_rows("TrainingTopic", "training", "selectin")

    @property
    def topics(self) -> list[str]:
        return [t.topic for t in in_topic_order(self.topic_rows)]

    @property
    def topic_labels(self) -> list[str]:
        return [vocab.label(vocab.TRAINING_TOPIC, t) for t in self.topics]

    organiser_label = label_property("organiser", vocab.TRAINING_ORGANISER)

    def __repr__(self) -> str:
        return f"<Training {self.id} {self.title}>"


class TrainingTopic(Base):
    """The skills (asset categories) a session teaches."""

    __tablename__ = "training_topics"
    __audit__ = True
    __table_args__ = (sa.UniqueConstraint("training_id", "topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(sa.ForeignKey("trainings.id"), index=True)
    topic: Mapped[str] = mapped_column(sa.String(20))

    training: Mapped[Training] = relationship(back_populates="topic_rows")


class Attendance(TimestampMixin, Base):
    """One operator at one session. Passing issues the certificate (number, token, topics)."""

    __tablename__ = "training_attendance"
    __audit__ = True
    __table_args__ = (sa.UniqueConstraint("training_id", "operator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(sa.ForeignKey("trainings.id"), index=True)
    operator_id: Mapped[int] = mapped_column(sa.ForeignKey("operators.id"), index=True)
    present: Mapped[bool] = mapped_column(default=False)
    passed: Mapped[bool] = mapped_column(default=False, index=True)
    score: Mapped[int | None] = mapped_column()
    certificate_no: Mapped[str | None] = mapped_column(sa.String(30), unique=True)
    issued_on: Mapped[date | None] = mapped_column(sa.Date)
    valid_until: Mapped[date | None] = mapped_column(sa.Date)  # latest of its topics
    verify_token: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    document: Mapped[dict | None] = mapped_column(sa.JSON)  # kop and signatory at issue

    training: Mapped[Training] = relationship(lazy="raise_on_sql")
    operator: Mapped[Operator] = relationship(lazy="raise_on_sql")
    topic_rows: Mapped[list[CertificateTopic]] = _topic_rows(
        "CertificateTopic", "attendance", "raise_on_sql"
    )

    @property
    def topics_in_order(self) -> list[CertificateTopic]:
        return in_topic_order(self.topic_rows)

    def __repr__(self) -> str:
        return f"<Attendance {self.id} t={self.training_id} op={self.operator_id}>"


class CertificateTopic(Base):
    """What a certificate covers: one topic, valid through `valid_until` (inclusive)."""

    __tablename__ = "certificate_topics"
    __audit__ = True
    __table_args__ = (
        sa.UniqueConstraint("attendance_id", "topic"),
        sa.Index("ix_certificate_topics_topic_valid", "topic", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attendance_id: Mapped[int] = mapped_column(sa.ForeignKey("training_attendance.id"), index=True)
    operator_id: Mapped[int] = mapped_column(sa.ForeignKey("operators.id"), index=True)
    topic: Mapped[str] = mapped_column(sa.String(20))
    valid_until: Mapped[date] = mapped_column(sa.Date)

    attendance: Mapped[Attendance] = relationship(back_populates="topic_rows")

    topic_label = label_property("topic", vocab.TRAINING_TOPIC)


class TopicValidity(Base):
    """Setting: how many months a certificate for a topic stays valid (default 24):
    `region_code` NULL is the installation default, a kab/kota code that kab/kota's own
    (used for the certificates of its trainings)."""

    __tablename__ = "training_topic_validity"
    __table_args__ = (sa.UniqueConstraint("region_code", "topic"),)
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    topic: Mapped[str] = mapped_column(sa.String(20))
    months: Mapped[int] = mapped_column(default=DEFAULT_VALIDITY_MONTHS)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CertificateCounter(Base):
    """Last certificate number issued per year (SERT/2026/000123)."""

    __tablename__ = "certificate_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_no: Mapped[int] = mapped_column(default=0)
