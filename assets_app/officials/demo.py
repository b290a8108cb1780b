"""`flask demo load` step: each demo kab/kota gets a kop (address, contacts, a generated logo)
and officials with valid NIPs who sign every kind of document (idempotent)."""

from __future__ import annotations

import io

import sqlalchemy as sa
from flask import current_app

from assets_app.extensions import db
from assets_app.letters import services as letters
from assets_app.officials import services, vocab
from assets_app.officials.models import Official
from assets_app.regions.models import Region

# (kadis NIP, sekretaris NIP): 18 digits, birth date · TMT · sex · sequence
_NIPS = (
    ("197001011990031001", "197805122003122002"),
    ("196908171994031003", "198001022005011004"),
    ("197203152000121001", "198206302008012003"),
    ("196812241993031002", "197911112006041001"),
)
_NAMES = (
    ("Drs. Bambang Sutrisno, M.Si.", "Rina Kartika, S.Sos., M.M."),
    ("Dr. Hj. Siti Aminah, M.Si.", "Agus Priyanto, S.E."),
    ("H. Ahmad Fauzi, S.H., M.H.", "Dewi Lestari, S.Kom."),
    ("Drs. Slamet Riyadi, M.AP.", "Yusuf Hidayat, S.IP."),
)


def _logo_png(seed: int) -> bytes:
    """A small shield-like PNG: a coloured disc with a gold ring (a stand-in lambang)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (96, 96), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    colours = ((31, 59, 110), (22, 101, 52), (127, 29, 29), (88, 28, 135))
    draw.ellipse((4, 4, 92, 92), fill=(180, 138, 44))
    draw.ellipse((12, 12, 84, 84), fill=colours[seed % len(colours)])
    draw.polygon([(48, 20), (70, 66), (26, 66)], fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def load_demo() -> str:
    codes = [c for c in current_app.config.get("DEMO_REGIONS", ()) if c.count(".") == 1]
    added = 0
    for i, code in enumerate(codes):
        region = db.session.get(Region, code)
        if region is None:
            continue
        settings = letters.get_settings(code)
        if not settings.saved or not settings.address:
            city = settings.city
            data = {f: getattr(settings, f) for f in letters.SETTING_FIELDS}
            data.update(
                address=f"Jl. Letjen Sutoyo No. {10 + i}, {city}",
                phone=f"(0{332 + i}) 42{i}15{i}",
                email=f"disdukcapil@{city.lower().replace(' ', '')}.go.id",
                website=f"disdukcapil.{city.lower().replace(' ', '')}.go.id",
            )
            letters.save_settings(code, data, by=_admin())
        if not letters.get_settings(code).logo_path:
            letters.save_logo(code, _logo_png(i), by=_admin())
        exists = db.session.scalar(sa.select(Official.id).where(Official.region_code == code))
        if exists:
            continue
        kadis_nip, sek_nip = _NIPS[i % len(_NIPS)]
        kadis_name, sek_name = _NAMES[i % len(_NAMES)]
        dinas = f"Kepala Dinas Kependudukan dan Pencatatan Sipil {region.name}"
        services.create_official(
            _admin(), region_code=code, name=kadis_name, nip=kadis_nip,
            rank="Pembina Tingkat I (IV/b)", position=dinas,
            signs=[k for k in vocab.DOC_KINDS if k != "opname"],
        )  # fmt: skip
        services.create_official(
            _admin(), region_code=code, name=sek_name, nip=sek_nip, rank="Pembina (IV/a)",
            position="Sekretaris", sign_line=f"a.n. {dinas}", signs=["opname"],
        )  # fmt: skip
        added += 2
    return f"{added} pejabat baru di {len(codes)} kabupaten/kota"


def _admin():
    """The demo's admin without a region (settings of every kab/kota)."""
    from assets_app.auth.models import User

    admin = db.session.scalar(
        sa.select(User).where(User.role == "admin", User.region_code.is_(None)).limit(1)
    )
    if admin is None:
        raise RuntimeError("Muat pengguna demo dulu: tidak ada admin tanpa wilayah.")
    return admin
