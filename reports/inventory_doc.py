"""The data of an inventarisasi result, shared by its PDF and XLSX renderers (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reports._blanko_doc import Kop, Signer

__all__ = ["GROUP_TITLES", "InventoryDoc", "InventoryLine", "Kop", "Signer"]

GROUP_TITLES = (
    ("found", "Barang ditemukan"),
    ("not_found", "Barang tidak ditemukan"),
    ("condition_changed", "Barang yang kondisinya berubah"),
    ("moved", "Barang yang berpindah lokasi"),
    ("unregistered", "Barang ditemukan tetapi tidak terdaftar"),
)


@dataclass(frozen=True)
class InventoryLine:
    kode_barang: str
    register_no: str
    name: str
    place: str  # where it is registered (or was found, for an unregistered find)
    unit_price: int
    condition_before: str = ""
    condition_after: str = ""
    found_in: str = ""
    note: str = ""


@dataclass(frozen=True)
class InventoryDoc:
    kop: Kop
    number: str  # "INV-35.11-7"
    title: str
    scope: str  # "Kec. Pujer, Kec. Tamanan"
    place: str  # town for the date line
    opened_at: datetime
    confirmed_at: datetime | None
    opened_by: str
    confirmed_by: str | None
    expected: int
    groups: dict[str, tuple[InventoryLine, ...]]
    signers: tuple[Signer, ...] = ()
    confirm_note: str = ""

    def count(self, key: str) -> int:
        return len(self.groups.get(key, ()))

    def value(self, key: str) -> int:
        return sum(line.unit_price for line in self.groups.get(key, ()))
