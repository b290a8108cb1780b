from __future__ import annotations

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
    official = services.create_official(
        users["admin"], region_code="35.11", name=NAME, nip=NIP,
        rank="Pembina Tingkat I (IV/b)", position=POSITION, signs=KINDS,
    )  # fmt: skip
    db.session.commit()
    return official
