from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from assets_app.db import Base, UTCDateTime, utcnow


class AuditLog(Base):
    """Append-only: the session guard in audit/listener.py refuses updates and deletes."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    actor: Mapped[str] = mapped_column(sa.String(80))
    action: Mapped[str] = mapped_column(sa.String(10))
    entity: Mapped[str] = mapped_column(sa.String(60), index=True)
    entity_id: Mapped[str] = mapped_column(sa.String(40))
    region_code: Mapped[str | None] = mapped_column(sa.String(13), index=True)
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(sa.String(45))

    ACTION_LABELS = {"insert": "Tambah", "update": "Ubah", "delete": "Hapus"}

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action)
