"""Archived DPRD hearing packets (PDF + XLSX) with their SHA-256 and verification token."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assets_app.db import Base, UTCDateTime, utcnow
from assets_app.regions.models import Region

FILE_KINDS = {"pdf": "PDF", "xlsx": "XLSX"}


class HearingReport(Base):
    """One generated packet. Append-only: an archived packet never changes; a new one is
    generated instead. Paths are relative to the instance folder."""

    __tablename__ = "hearing_reports"
    __audit__ = True
    __append_only__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(40), unique=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    scope_name: Mapped[str] = mapped_column(sa.String(160))
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    as_of: Mapped[date] = mapped_column(sa.Date)
    options: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    author_name: Mapped[str] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    pdf_path: Mapped[str] = mapped_column(sa.String(300))
    pdf_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    pdf_size: Mapped[int] = mapped_column(sa.Integer)
    xlsx_path: Mapped[str] = mapped_column(sa.String(300))
    xlsx_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    xlsx_size: Mapped[int] = mapped_column(sa.Integer)

    region: Mapped[Region] = relationship(lazy="raise_on_sql")

    def path(self, kind: str) -> str:
        return {"pdf": self.pdf_path, "xlsx": self.xlsx_path}[kind]

    def sha256(self, kind: str) -> str:
        return {"pdf": self.pdf_sha256, "xlsx": self.xlsx_sha256}[kind]

    def size(self, kind: str) -> int:
        return {"pdf": self.pdf_size, "xlsx": self.xlsx_size}[kind]

    @property
    def file_name_pdf(self) -> str:
        return self.pdf_path.rsplit("/", 1)[-1]

    @property
    def file_name_xlsx(self) -> str:
        return self.xlsx_path.rsplit("/", 1)[-1]

    def __repr__(self) -> str:
        return f"<HearingReport {self.id} {self.region_code} {self.period_start}–{self.period_end}>"


PACKET_STATUS = {"draf": "Draf, belum disetujui", "disetujui": "Disetujui"}


class HearingApproval(Base):
    """The kadis's approval of one packet (four eyes: never its preparer). Append-only: an
    approved packet stays approved; the packet row itself never changes."""

    __tablename__ = "hearing_approvals"
    __audit__ = True
    __append_only__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing_reports.id"), unique=True)
    approved_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    approved_by_name: Mapped[str] = mapped_column(sa.String(120))
    approved_by_role: Mapped[str] = mapped_column(sa.String(200))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SummarySnapshot(Base):
    """The whole installation's summary for the default period, as of one moment, stored by
    the `ringkasan_instalasi` job (see hearing.snapshot). Derived data like the rollups: each
    refresh replaces the previous row; the figures' sources are the ledgers."""

    __tablename__ = "summary_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    took_ms: Mapped[int] = mapped_column(sa.Integer)
    kecamatan_count: Mapped[int] = mapped_column(sa.Integer)
    # the summary grouped by kab/kota (pages), and the API's two answers, as JSON text
    summary_json: Mapped[str] = mapped_column(sa.Text)
    api_kecamatan_json: Mapped[str] = mapped_column(sa.Text)
    api_kabkota_json: Mapped[str] = mapped_column(sa.Text)

    def __repr__(self) -> str:
        return f"<SummarySnapshot {self.period_start}–{self.period_end} per {self.as_of}>"
