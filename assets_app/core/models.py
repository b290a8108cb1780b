"""Installation-wide settings changed from the web (one row per key): today the public base
URL printed in QR codes and links. Per kab/kota settings live with their domains."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from assets_app.db import Base, TimestampMixin


class InstallSetting(TimestampMixin, Base):
    __tablename__ = "install_settings"
    __audit__ = True

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(300), default="")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
