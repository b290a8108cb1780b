"""The kecamatan's daily report and the public service board's per kab/kota setting."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from assets_app.db import Base, TimestampMixin


class DailyReport(TimestampMixin, Base):
    """One per service point and day: ties the day's usage row, the status events and the
    blanko movements that one filing (and its corrections) wrote. `blanko_used` and
    `blanko_damaged` are the day's totals as last reported; a correction posts only the
    difference as new movements."""

    __tablename__ = "daily_reports"
    __audit__ = True
    __table_args__ = (
        sa.UniqueConstraint("region_code", "day", name="uq_daily_reports_region_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    day: Mapped[date] = mapped_column(sa.Date, index=True)
    usage_day_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usage_days.id"))
    blanko_used: Mapped[int] = mapped_column(default=0)
    blanko_damaged: Mapped[int] = mapped_column(default=0)
    devices_changed: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(sa.Text)
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(100))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    corrections: Mapped[int] = mapped_column(default=0)


class StatusBoard(TimestampMixin, Base):
    """The public service board of one kab/kota: on or off, and a short public notice."""

    __tablename__ = "status_boards"
    __audit__ = True

    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    notice: Mapped[str | None] = mapped_column(sa.String(300))
