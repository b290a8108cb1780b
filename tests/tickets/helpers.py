"""Small builders for ticket tests (committed, so the test client sees them)."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date

from assets_app.assets.models import Asset
from assets_app.extensions import db
from assets_app.tickets import services

PATHS = {
    "baru": [],
    "diterima": ["diterima"],
    "dikerjakan": ["diterima", "dikerjakan"],
    "menunggu_pihak_ketiga": ["diterima", "dikerjakan", "menunggu_pihak_ketiga"],
    "selesai": ["diterima", "dikerjakan", "selesai"],
    "ditutup": ["diterima", "dikerjakan", "selesai", "ditutup"],
}


def make_asset(region_code: str = "35.11.05", **kw) -> Asset:
    n = db.session.query(Asset).count() + 1
    values = {
        "region_code": region_code,
        "kode_barang": "1.3.2.10.02.04.001",
        "register_no": f"{n:04d}",
        "name": "Server perekaman",
        "category": "server",
        "brand_model": "Dell PowerEdge R240",
        "serial_number": f"SN-{n:05d}",
        "acquired_on": date(2022, 3, 1),
        "funding_source": "APBD",
        "acquisition_method": "pembelian",
        "unit_price": 45_000_000,
        "vendor": "PT Sinar Data",
        "label_token": f"tok{n:08d}",
    }
    values.update(kw)
    asset = Asset(**values)
    db.session.add(asset)
    db.session.commit()
    return asset


def file_ticket(by, region_code: str = "35.11.05", *, commit: bool = True, **kw):
    values = {
        "category": "perangkat",
        "urgency": "tinggi",
        "impact": "tinggi",
        "title": "Server perekaman mati",
        "description": "Server tidak menyala sejak pagi.",
    }
    values.update(kw)
    ticket, _ = services.file_ticket(by=by, region_code=region_code, **values)
    if commit:
        db.session.commit()
    return ticket


NOTE = {
    "menunggu_pihak_ketiga": "Menunggu suku cadang dari vendor.",
    "selesai": "Power supply diganti.",
}


def walk(ticket, handler, closer, status: str, *, at=None, party="vendor"):
    """Moves a fresh ticket to `status` (handler for Dinas steps, closer to close)."""
    for to in PATHS[status]:
        services.transition(
            ticket,
            by=closer if to == "ditutup" else handler,
            to=to,
            note=NOTE.get(to, "ok"),
            responsible_party=party if to == "menunggu_pihak_ketiga" else None,
            at=at,
        )
    db.session.commit()
    return ticket


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A real, tiny PNG (so the browser can show it)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xc8\x20\x20" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name: str, data: bytes):
    return (io.BytesIO(data), name)
