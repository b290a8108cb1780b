from __future__ import annotations

import io

import pytest

from assets_app.extensions import db
from assets_app.letters import services as letters
from assets_app.officials import services
from tests.blanko.conftest import Ledger

NIP = "197001011990031001"
NAME = "Drs. Bambang Sutrisno, M.Si."
POSITION = "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bondowoso"
ADDRESS = "Jl. Letjen Sutoyo No. 12, Bondowoso"
KINDS = ["surat", "berita_acara", "opname", "sertifikat", "rdp", "kib"]


def _png() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (80, 96), (255, 255, 255))
    ImageDraw.Draw(img).polygon(
        [(40, 2), (78, 20), (70, 80), (40, 94), (10, 80), (2, 20)], fill=(31, 59, 110)
    )
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def ledger(users):
    return Ledger(users)


@pytest.fixture
def kop_and_official(users):
    """Bondowoso (35.11) with an address in its kop and one official signing everything."""
    base = letters.get_settings("35.11")
    data = {f: getattr(base, f) for f in letters.SETTING_FIELDS}
    data.update(address=ADDRESS, phone="(0332) 421234")
    letters.save_settings("35.11", data, by=users["admin"])
    letters.save_logo("35.11", _png(), by=users["admin"])  # every kop below carries it
    official = services.create_official(
        users["admin"], region_code="35.11", name=NAME, nip=NIP,
        rank="Pembina Tingkat I (IV/b)", position=POSITION, signs=KINDS,
    )  # fmt: skip
    db.session.commit()
    return official
