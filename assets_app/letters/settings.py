"""Letter settings per kab/kota: the kop (letterhead), the numbering pattern and the default
signer, with the defaults derived from the region name until an admin saves them."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from assets_app.common.errors import Forbidden, NotFound, ValidationFailed
from assets_app.common.permissions import can
from assets_app.extensions import db
from assets_app.letters import vocab
from assets_app.letters.models import LetterSetting
from assets_app.regions.models import Region
from assets_app.regions.scope import in_scope

_TOKEN_RE = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Settings:
    region_code: str
    pemerintah: str
    dinas: str
    address: str
    phone: str
    email: str
    website: str
    city: str
    number_pattern: str
    unit_code: str
    number_width: int
    signer_name: str
    signer_nip: str
    signer_rank: str
    signer_position: str
    saved: bool  # False: defaults derived from the region name, not yet saved by an admin
    logo_path: str | None = None  # lambang daerah, relative to the instance folder

    @property
    def contact_line(self) -> str:
        parts = []
        if self.phone:
            parts.append(f"Telepon {self.phone}")
        if self.email:
            parts.append(f"Surel {self.email}")
        if self.website:
            parts.append(f"Laman {self.website}")
        return " · ".join(parts)

    def kop(self) -> dict:
        return {
            "pemerintah": self.pemerintah,
            "dinas": self.dinas,
            "address": self.address,
            "contact": self.contact_line,
            "city": self.city,
            "logo": self.logo_path or "",
        }


SETTING_FIELDS = (
    "pemerintah",
    "dinas",
    "address",
    "phone",
    "email",
    "website",
    "city",
    "number_pattern",
    "unit_code",
    "number_width",
    "signer_name",
    "signer_nip",
    "signer_rank",
    "signer_position",
)


_SMALL_WORDS = {"dan", "di", "ke", "dari", "untuk"}


def office_name(settings: Settings) -> str:
    """ "Dinas Kependudukan dan Pencatatan Sipil Kota Serang" from the kop fields."""
    words = settings.dinas.split()
    dinas = " ".join(
        w.lower() if i and w.lower() in _SMALL_WORDS else w.capitalize()
        for i, w in enumerate(words)
    )
    region = re.sub(r"^Pemerintah\s+", "", settings.pemerintah, flags=re.IGNORECASE).title()
    return f"{dinas} {region}".strip()


def default_settings(region: Region) -> Settings:
    """Sensible defaults from the kab/kota name: "Kota Serang" → "PEMERINTAH KOTA SERANG"."""
    name = region.name.strip()
    city = re.sub(r"^(Kabupaten|Kota)\s+", "", name, flags=re.IGNORECASE)
    return Settings(
        region_code=region.code,
        pemerintah=f"Pemerintah {name}".upper(),
        dinas="DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
        address="",
        phone="",
        email="",
        website="",
        city=city,
        number_pattern=vocab.DEFAULT_PATTERN,
        unit_code="Disdukcapil",
        number_width=4,
        signer_name="",
        signer_nip="",
        signer_rank="",
        signer_position=f"Kepala Dinas Kependudukan dan Pencatatan Sipil {name}",
        saved=False,
    )


def get_settings(kabkota: str) -> Settings:
    region = db.session.get(Region, kabkota)
    if region is None:
        raise NotFound(f"Wilayah {kabkota} tidak dikenal.")
    row = db.session.scalar(sa.select(LetterSetting).where(LetterSetting.region_code == kabkota))
    if row is None:
        return default_settings(region)
    return Settings(
        region_code=kabkota,
        saved=True,
        logo_path=row.logo_path,
        **{f: getattr(row, f) for f in SETTING_FIELDS},
    )


def format_number(
    pattern: str, *, classification: str, seq: int, unit: str, on: date, width: int = 4
) -> str:
    roman = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
    values = {
        "klasifikasi": classification,
        "nomor": str(seq).zfill(width),
        "unit": unit,
        "tahun": str(on.year),
        "bulan": f"{on.month:02d}",
        "bulan_romawi": roman[on.month - 1],
    }
    return _TOKEN_RE.sub(lambda m: values[m.group(1)], pattern)


def validate_pattern(pattern: str) -> list[str]:
    problems = []
    tokens = _TOKEN_RE.findall(pattern or "")
    unknown = sorted(set(tokens) - set(vocab.PATTERN_TOKENS))
    if unknown:
        problems.append(
            "Penanda tidak dikenal: "
            + ", ".join("{" + t + "}" for t in unknown)
            + ". Yang tersedia: "
            + ", ".join("{" + t + "}" for t in vocab.PATTERN_TOKENS)
            + "."
        )
    if "nomor" not in tokens:
        problems.append("Pola wajib memuat {nomor} (nomor urut).")
    if tokens.count("nomor") > 1:
        problems.append("{nomor} hanya boleh muncul sekali.")
    stripped = _TOKEN_RE.sub("", pattern or "")
    if "{" in stripped or "}" in stripped:
        problems.append("Kurung kurawal hanya untuk penanda seperti {nomor}.")
    return problems


def save_settings(kabkota: str, data: dict, *, by) -> LetterSetting:
    if not can(by, "letters.settings"):
        raise Forbidden("Hanya admin yang dapat mengubah pengaturan surat.")
    region = db.session.get(Region, kabkota)
    if region is None or region.level != "kabkota" or not in_scope(by, kabkota):
        raise ValidationFailed(errors={"region_code": ["Pilih kabupaten/kota dalam cakupan Anda."]})
    clean = {
        f: (data.get(f) if f == "number_width" else (data.get(f) or "").strip())
        for f in SETTING_FIELDS
    }
    errors: dict[str, list[str]] = {}
    for f in ("pemerintah", "dinas", "city", "number_pattern", "unit_code", "signer_position"):
        if not clean[f]:
            errors[f] = ["Wajib diisi."]
    if clean["number_pattern"]:
        problems = validate_pattern(clean["number_pattern"])
        if problems:
            errors["number_pattern"] = problems
    try:
        width = int(clean["number_width"])
        if not 1 <= width <= 6:
            raise ValueError
        clean["number_width"] = width
    except (TypeError, ValueError):
        errors["number_width"] = ["Lebar nomor urut 1 sampai 6 angka."]
    if clean["signer_nip"] and not re.fullmatch(r"\d{18}", clean["signer_nip"].replace(" ", "")):
        errors["signer_nip"] = ["NIP terdiri atas 18 angka."]
    limits = {
        c.name: c.type.length
        for c in LetterSetting.__table__.columns
        if hasattr(c.type, "length") and c.type.length
    }
    for f, v in clean.items():
        if isinstance(v, str) and f in limits and len(v) > limits[f]:
            errors.setdefault(f, []).append(f"Maksimal {limits[f]} karakter.")
    if errors:
        raise ValidationFailed(errors=errors)
    clean["signer_nip"] = clean["signer_nip"].replace(" ", "")
    row = db.session.scalar(sa.select(LetterSetting).where(LetterSetting.region_code == kabkota))
    if row is None:
        row = LetterSetting(region_code=kabkota)
        db.session.add(row)
    for f, v in clean.items():
        setattr(row, f, v)
    row.updated_by_id = getattr(by, "id", None)
    db.session.flush()
    return row


def example_number(pattern: str, width, unit: str, on: date, saved: Settings) -> str | None:
    """The number letter 12 would get with the settings being typed (the saved ones where a
    field is empty or not a number), for the settings page; None while the pattern is wrong."""
    pattern = pattern or saved.number_pattern
    if validate_pattern(pattern):
        return None
    try:
        width = int(width or saved.number_width)
    except (TypeError, ValueError):
        width = saved.number_width
    width = max(1, min(width, 6))
    unit = unit or saved.unit_code
    return format_number(pattern, classification="000.2.2", seq=12, unit=unit, on=on, width=width)


LOGO_MAX_BYTES = 512 * 1024
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _logo_kind(data: bytes) -> str:
    """ "png" or "svg" by content (magic bytes, then a parse), else ValidationFailed."""
    bad = ValidationFailed(
        errors={"logo": ["Berkas lambang harus gambar PNG atau SVG (isi berkas diperiksa)."]}
    )
    if data.startswith(_PNG_MAGIC):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(data)) as img:
                img.verify()
                if img.format != "PNG":
                    raise bad
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise bad from None
        return "png"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data.lower():
        from lxml import etree

        if b"<!doctype" in data.lower() or b"<!entity" in data.lower():
            raise ValidationFailed(
                errors={"logo": ["Berkas SVG tidak boleh memuat DOCTYPE atau ENTITY."]}
            )
        try:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            raise bad from None
        if not str(root.tag).endswith("svg"):
            raise bad
        if root.xpath("//*[local-name()='script' or local-name()='foreignObject']"):
            raise ValidationFailed(errors={"logo": ["Berkas SVG tidak boleh memuat skrip."]})
        return "svg"
    raise bad


def save_logo(kabkota: str, data: bytes | None, *, by) -> LetterSetting:
    """Keeps the lambang daerah of a kab/kota under instance/kop/ by SHA-256 (so a document
    signed with an older logo still finds it) and points the kop at it."""
    if not can(by, "officials.write") and not can(by, "letters.settings"):
        raise Forbidden("Hanya admin atau kepala dinas yang dapat mengganti lambang daerah.")
    region = db.session.get(Region, kabkota)
    if region is None or region.level != "kabkota" or not in_scope(by, kabkota):
        raise ValidationFailed(errors={"region_code": ["Pilih kabupaten/kota dalam cakupan Anda."]})
    if not data:
        raise ValidationFailed(errors={"logo": ["Pilih berkas lambang (PNG atau SVG)."]})
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationFailed(errors={"logo": ["Berkas lambang maksimal 512 KB."]})
    kind = _logo_kind(data)
    sha = hashlib.sha256(data).hexdigest()
    rel = f"kop/{sha}.{kind}"
    path = Path(current_app.instance_path) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(data)
    row = db.session.scalar(sa.select(LetterSetting).where(LetterSetting.region_code == kabkota))
    if row is None:
        defaults = default_settings(region)
        row = LetterSetting(
            region_code=kabkota, **{f: getattr(defaults, f) for f in SETTING_FIELDS}
        )
        db.session.add(row)
    row.logo_path = rel
    row.updated_by_id = getattr(by, "id", None)
    db.session.flush()
    return row


def logo_file(rel: str | None) -> str | None:
    """The absolute path of a stored logo (None when there is none or it is gone)."""
    if not rel or ".." in rel:
        return None
    path = Path(current_app.instance_path) / rel
    return str(path) if path.is_file() else None
