"""Officials (pejabat) of a kab/kota who sign its documents, each for the kinds in `signs`."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from assets_app.db import Base, TimestampMixin
from assets_app.officials import vocab


class Official(TimestampMixin, Base):
    __tablename__ = "officials"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    nip: Mapped[str] = mapped_column(sa.String(18))
    rank: Mapped[str] = mapped_column(sa.String(80), default="")
    position: Mapped[str] = mapped_column(sa.String(200))
    # "a.n. Kepala Dinas …" / "Plt. Kepala Dinas …": a line above the position, optional
    sign_line: Mapped[str | None] = mapped_column(sa.String(200))
    signs: Mapped[list] = mapped_column(sa.JSON, default=list)
    active_from: Mapped[date | None] = mapped_column(sa.Date)
    active_to: Mapped[date | None] = mapped_column(sa.Date)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    @property
    def signs_labels(self) -> list[str]:
        return [vocab.DOC_KINDS.get(k, k) for k in self.signs or []]

    def active_on(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or day <= self.active_to
        )

    def __repr__(self) -> str:
        return f"<Official {self.id} {self.name}>"
