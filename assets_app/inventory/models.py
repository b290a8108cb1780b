"""Inventarisasi (stock-taking) sessions: the scope, the scans and, once the Kepala Dinas has
confirmed, the frozen result of every expected asset."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assets_app.db import Base, TimestampMixin, UTCDateTime, label_property, utcnow
from assets_app.inventory import vocab


class InventorySession(TimestampMixin, Base):
    """One inventarisasi of a kab/kota, a kecamatan or a list of kecamatan (`regions`)."""

    __tablename__ = "inventory_sessions"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    # The kab/kota the session belongs to: its scope for lists, the kop of its documents.
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    note: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), default="berjalan", index=True)
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    confirm_note: Mapped[str | None] = mapped_column(sa.Text)  # the kadis's note, if any

    regions: Mapped[list[InventoryRegion]] = relationship(
        order_by="InventoryRegion.region_code", lazy="selectin", cascade="all, delete-orphan"
    )

    status_label = label_property("status", vocab.SESSION_STATUS)

    @property
    def region_codes(self) -> list[str]:
        return [r.region_code for r in self.regions]

    @property
    def is_open(self) -> bool:
        return self.status == "berjalan"


class InventoryRegion(Base):
    """A region the session covers: the kab/kota itself (everything in it) or a kecamatan."""

    __tablename__ = "inventory_regions"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "region_code", name="uq_inventory_regions_session"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_sessions.id"), index=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)


class InventoryScan(Base):
    """One find: a registered asset (once per session) or an unregistered item (`asset_id`
    NULL, with a description). `idempotency_key` lets a resent scan return the first one."""

    __tablename__ = "inventory_scans"
    __audit__ = True
    __audit_secret__ = frozenset({"photo"})
    __table_args__ = (
        sa.UniqueConstraint("session_id", "asset_id", name="uq_inventory_scans_asset"),
        sa.UniqueConstraint("session_id", "idempotency_key", name="uq_inventory_scans_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_sessions.id"), index=True)
    asset_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assets.id"), index=True)
    condition: Mapped[str | None] = mapped_column(sa.String(2))
    found_in_region: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)
    photo: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    photo_type: Mapped[str | None] = mapped_column(sa.String(20))
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(100))
    scanned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InventoryResult(Base):
    """Frozen at confirmation: what the session found for each expected asset (and what the
    register said before), so the berita acara and the asset page stay as confirmed."""

    __tablename__ = "inventory_results"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "asset_id", name="uq_inventory_results_asset"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_sessions.id"), index=True)
    asset_id: Mapped[int] = mapped_column(sa.ForeignKey("assets.id"), index=True)
    result: Mapped[str] = mapped_column(sa.String(20))  # vocab.RESULT
    condition_before: Mapped[str] = mapped_column(sa.String(2))
    condition_after: Mapped[str | None] = mapped_column(sa.String(2))
    region_before: Mapped[str] = mapped_column(sa.String(20))
    region_after: Mapped[str | None] = mapped_column(sa.String(20))
    unit_price: Mapped[int] = mapped_column(sa.BigInteger)
