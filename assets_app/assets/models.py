"""KIB B register, status events, daily usage and recording coverage."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assets_app.common import vocab
from assets_app.db import AppendOnly, Base, TimestampMixin, UTCDateTime, label_property, utcnow
from assets_app.regions.models import Region


class Asset(TimestampMixin, Base):
    """One KIB B row. `status`, `status_since`, `status_cause` and `status_party` cache the
    latest StatusEvent, written only by the status service in the same transaction as the
    event, so lists and figures can filter in SQL."""

    __tablename__ = "assets"
    __audit__ = True
    __table_args__ = (
        sa.UniqueConstraint("kode_barang", "register_no", "region_code", name="uq_assets_register"),
        # the categories each region holds (training gaps, the plan): read from the index
        # alone, in the order they are grouped (migration 0026)
        sa.Index("ix_assets_region_category_status", "region_code", "category", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    kode_barang: Mapped[str] = mapped_column(sa.String(30), index=True)
    register_no: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[str] = mapped_column(sa.String(20), index=True)
    brand_model: Mapped[str | None] = mapped_column(sa.String(120))
    serial_number: Mapped[str | None] = mapped_column(sa.String(120), index=True)
    acquired_on: Mapped[date] = mapped_column(sa.Date, index=True)
    funding_source: Mapped[str] = mapped_column(sa.String(10))
    acquisition_method: Mapped[str] = mapped_column(sa.String(20))
    contract_no: Mapped[str | None] = mapped_column(sa.String(120))
    vendor: Mapped[str | None] = mapped_column(sa.String(200))
    unit_price: Mapped[int] = mapped_column(sa.BigInteger)
    bast_no: Mapped[str | None] = mapped_column(sa.String(120))
    bast_date: Mapped[date | None] = mapped_column(sa.Date)
    condition: Mapped[str] = mapped_column(sa.String(2), default="B")
    custodian: Mapped[str | None] = mapped_column(sa.String(120))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    # e-BMD's item number (optional; unique within a kab/kota, checked by the service)
    nibar: Mapped[str | None] = mapped_column(sa.String(30), index=True)
    ukuran_cc: Mapped[str | None] = mapped_column(sa.String(60))  # KIB B "Ukuran/CC"
    bahan: Mapped[str | None] = mapped_column(sa.String(60))  # KIB B "Bahan"
    label_token: Mapped[str] = mapped_column(sa.String(32), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="operasional", index=True)
    # indexed: the downtime of today's edge starts from the assets changed since midnight
    status_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # the latest event's cause and responsible party (None while operational), cached with
    # `status`: the downtime still open now is read from the assets down, not their events
    status_cause: Mapped[str | None] = mapped_column(sa.String(20))
    status_party: Mapped[str | None] = mapped_column(sa.String(20))
    # The latest confirmed inventarisasi (written only by `services.record_inventory_result`):
    # its day (WIB) and what it found, "ditemukan" or "tidak_ditemukan" (a flag, never a delete).
    last_inventory_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    last_inventory_result: Mapped[str | None] = mapped_column(sa.String(20))

    region: Mapped[Region] = relationship(lazy="raise_on_sql")
    events: Mapped[list[StatusEvent]] = relationship(
        back_populates="asset", order_by="StatusEvent.started_at", lazy="raise_on_sql"
    )

    category_label = label_property("category", vocab.ASSET_CATEGORY)
    status_label = label_property("status", vocab.ASSET_STATUS)
    condition_label = label_property("condition", vocab.CONDITION)

    @property
    def is_down(self) -> bool:
        return self.status in vocab.DOWN_STATUSES

    def __repr__(self) -> str:
        return f"<Asset {self.kode_barang}/{self.register_no} {self.name}>"


class StatusEvent(AppendOnly, Base):
    """Append-only: a status change with cause and responsible party."""

    __tablename__ = "asset_status_events"
    # Timeline look-ups (the last event at/before an instant, the events of a period) by asset.
    __table_args__ = (sa.Index("ix_asset_status_events_asset_started", "asset_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(sa.ForeignKey("assets.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20))
    cause: Mapped[str | None] = mapped_column(sa.String(20))
    responsible_party: Mapped[str | None] = mapped_column(sa.String(20))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    asset: Mapped[Asset] = relationship(back_populates="events", lazy="raise_on_sql")


class UsageDay(TimestampMixin, Base):
    """Service counts of one kecamatan on one day; a correction updates the row (audited)."""

    __tablename__ = "usage_days"
    __audit__ = True
    __table_args__ = (
        sa.UniqueConstraint("region_code", "day", name="uq_usage_days_region_day"),
        # a day's reports of a range of codes (every page's inbox: who has not reported today)
        sa.Index("ix_usage_days_day_region", "day", "region_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    day: Mapped[date] = mapped_column(sa.Date)
    rekam: Mapped[int] = mapped_column(default=0)
    cetak_ktp: Mapped[int] = mapped_column(default=0)
    cetak_kk: Mapped[int] = mapped_column(default=0)
    ditolak: Mapped[int] = mapped_column(default=0)
    # Suket (surat keterangan pengganti KTP-el) issued that day, e.g. when blanko ran out.
    suket: Mapped[int] = mapped_column(default=0, server_default="0")
    kuota: Mapped[int | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class CoverageSnapshot(TimestampMixin, Base):
    """Recording coverage of a kecamatan or kelurahan as of a date."""

    __tablename__ = "coverage_snapshots"
    __audit__ = True
    __table_args__ = (sa.UniqueConstraint("region_code", "as_of", name="uq_coverage_region_as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    as_of: Mapped[date] = mapped_column(sa.Date)
    wajib_ktp: Mapped[int] = mapped_column()
    sudah_rekam: Mapped[int] = mapped_column()

    @property
    def coverage_pct(self) -> float | None:
        return (self.sudah_rekam * 100 / self.wajib_ktp) if self.wajib_ktp else None

    @property
    def belum_rekam(self) -> int:
        return max(self.wajib_ktp - self.sudah_rekam, 0)


class DowntimeDaily(Base):
    """Rollup of downtime: seconds of the CLOSED non-operational intervals (an event followed
    by a later one) per asset region, WIB day, status, cause and party. The still-open
    interval of an asset (its latest event) is never stored: readers add it from the raw
    events, so it grows with the clock without writes. Kept current by the status service in
    the same transaction as the event (`downtime.add_closed_interval`); `flask rollups
    rebuild|check` recompute it from `asset_status_events`. A missing cause/party is stored as
    "lainnya"/"belum_ditentukan", as the figures fold it."""

    __tablename__ = "downtime_daily"
    # a kab/kota's rows over a period (scope filter first), as the other rollups are keyed
    __table_args__ = (sa.Index("ix_downtime_daily_region_day", "region_code", "day"),)

    # day first: a period reads a range of days (the key serves it), then filters regions
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    cause: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    responsible_party: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    seconds: Mapped[float] = mapped_column(sa.Double)
