from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from assets_app.db import Base

LEVELS = ("provinsi", "kabkota", "kecamatan", "kelurahan")
LEVEL_LABELS = {
    "provinsi": "Provinsi",
    "kabkota": "Kabupaten/Kota",
    "kecamatan": "Kecamatan",
    "kelurahan": "Kelurahan/Desa",
}


def level_of(code: str) -> str:
    """The level of a Kemendagri code, from its dotted segments (35 → provinsi, 35.11 →
    kabkota, 35.11.05 → kecamatan, 35.11.05.2001 → kelurahan). The one place that reads a
    level from a code; rows carry it in `Region.level`."""
    depth = code.count(".")
    if not code or depth >= len(LEVELS):
        raise ValueError(f"kode wilayah tidak dikenal: {code!r}")
    return LEVELS[depth]


def region_chain(code: str) -> list[str]:
    """The code and every code above it, top first ("35.11.05" → 35, 35.11, 35.11.05)."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def kabkota_of(code: str) -> str | None:
    """The kab/kota a code lies in (itself for a kab/kota), or None above that level."""
    parts = code.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


class Region(Base):
    """A Kemendagri region; the code is the key and is always text ("32.10" ≠ "32.1")."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(sa.String(13), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    level: Mapped[str] = mapped_column(sa.String(10), index=True)
    kind: Mapped[str | None] = mapped_column(sa.String(10))
    parent_code: Mapped[str | None] = mapped_column(
        sa.ForeignKey("regions.code"), index=True, default=None
    )

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)

    @property
    def display_name(self) -> str:
        if self.level == "kecamatan":
            return f"Kec. {self.name}"
        if self.level == "kelurahan":
            return f"{'Kel.' if self.kind == 'kelurahan' else 'Desa'} {self.name}"
        return self.name

    @property
    def ancestor_codes(self) -> list[str]:
        return region_chain(self.code)[:-1]

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"
