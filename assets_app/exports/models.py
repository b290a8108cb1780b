"""One export job: what to write (kind + params), for whom (user, region root), how far it
got, and where the file is."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from assets_app.db import Base, UTCDateTime, utcnow

QUEUED, RUNNING, DONE, FAILED, EXPIRED = "queued", "running", "done", "failed", "expired"
ACTIVE = (QUEUED, RUNNING)
STATUS_LABELS = {
    QUEUED: "Menunggu giliran",
    RUNNING: "Sedang ditulis",
    DONE: "Selesai",
    FAILED: "Gagal",
    EXPIRED: "Kedaluwarsa (berkas sudah dihapus)",
}


class ExportJob(Base):
    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    params: Mapped[dict] = mapped_column(sa.JSON)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # The root of the rows it holds (filter region, else the user's scope); None = everything.
    region_code: Mapped[str | None] = mapped_column(sa.String(13), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default=QUEUED, index=True)
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int] = mapped_column(default=0)
    file_path: Mapped[str | None] = mapped_column(sa.String(200))  # relative to the instance
    download_name: Mapped[str] = mapped_column(sa.String(200))
    size_bytes: Mapped[int | None] = mapped_column(sa.BigInteger)
    error: Mapped[str | None] = mapped_column(sa.Text)
    worker: Mapped[str | None] = mapped_column(sa.String(80))  # "host:pid" running it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def percent(self) -> int:
        if self.status == DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def finished(self) -> bool:
        return self.status not in ACTIVE

    def __repr__(self) -> str:
        return f"<ExportJob {self.id} {self.kind} {self.status} {self.rows_done}/{self.rows_total}>"
