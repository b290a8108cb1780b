"""Officials (pejabat), the verbs: add one, change one; and the snapshot a document is signed
with (the kop of the kab/kota and the official who signs that kind of document).

An official belongs to one kab/kota and signs the kinds of document in `signs`; at most one
official active on a day signs a kind in a kab/kota, so "who signs the berita acara of
Bondowoso today" has one answer.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from assets_app.common.errors import Forbidden, NotFound, ValidationFailed
from assets_app.common.permissions import can
from assets_app.common.timeutil import today_wib
from assets_app.common.validate import Invalid, parse_text
from assets_app.extensions import db
from assets_app.officials import vocab
from assets_app.officials.models import Official
from assets_app.officials.nip import clean_nip, nip_problems
from assets_app.regions.models import kabkota_of, level_of
from assets_app.regions.scope import in_scope
from assets_app.regions.services import require_setting_scope

FIELDS = ("name", "nip", "rank", "position", "sign_line", "signs", "active_from", "active_to")


def _text(data: dict, field: str, errors: dict, limit: int, required: bool) -> str | None:
    raw = data.get(field)
    try:
        value = parse_text(raw) if raw is not None else None
    except Invalid as e:
        errors[field] = [str(e)]
        return None
    if not value:
        if required:
            errors[field] = ["Wajib diisi."]
        return None
    if len(value) > limit:
        errors[field] = [f"Maksimal {limit} karakter."]
    return value


def _check(data: dict, region_code: str, official_id: int | None) -> dict:
    errors: dict[str, list[str]] = {}
    v = {
        "name": _text(data, "name", errors, 120, True),
        "position": _text(data, "position", errors, 200, True),
        "sign_line": _text(data, "sign_line", errors, 200, False),
        "rank": _text(data, "rank", errors, 80, False) or "",
    }
    problems = nip_problems(data.get("nip"))
    if problems:
        errors["nip"] = problems
    v["nip"] = clean_nip(data.get("nip"))
    if v["rank"] and v["rank"] not in vocab.RANKS:
        errors["rank"] = ["Pangkat/golongan tidak dikenal; pilih dari daftar."]
    signs = data.get("signs") or []
    if isinstance(signs, str):
        signs = [signs]
    unknown = [s for s in signs if s not in vocab.DOC_KINDS]
    if unknown:
        errors["signs"] = [
            "Jenis dokumen tidak dikenal: " + ", ".join(map(str, unknown)) + ". Pilih dari: "
            + ", ".join(vocab.DOC_KINDS) + "."
        ]  # fmt: skip
    v["signs"] = [k for k in vocab.DOC_KINDS if k in signs]
    v["active_from"], v["active_to"] = data.get("active_from"), data.get("active_to")
    if v["active_from"] and v["active_to"] and v["active_to"] < v["active_from"]:
        errors["active_to"] = ["Akhir masa jabatan tidak boleh sebelum awalnya."]
    if not errors:
        _check_overlap(region_code, official_id, v, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    return v


def _overlaps(a: Official, start: date | None, end: date | None) -> bool:
    lo, hi = date.min, date.max
    return (a.active_from or lo) <= (end or hi) and (start or lo) <= (a.active_to or hi)


def _check_overlap(region_code: str, official_id: int | None, v: dict, errors: dict) -> None:
    """One signing official per kind and kab/kota at any day: a second one is refused."""
    others = db.session.scalars(
        sa.select(Official).where(Official.region_code == region_code, Official.id != (official_id or 0))
    )  # fmt: skip
    for other in others:
        if not _overlaps(other, v["active_from"], v["active_to"]):
            continue
        clash = [vocab.DOC_KINDS[k] for k in v["signs"] if k in (other.signs or [])]
        if clash:
            errors["signs"] = [
                f"{', '.join(clash)} sudah ditandatangani oleh {other.name} pada masa jabatan "
                "yang sama; ubah dulu pejabat itu."
            ]
            return


def _require_writer(by, region_code: str | None) -> str:
    if not can(by, "officials.write"):
        raise Forbidden("Hanya admin atau kepala dinas yang dapat mengatur pejabat penanda tangan.")
    if not region_code:
        raise ValidationFailed(errors={"region_code": ["Wajib diisi: kode kabupaten/kota."]})
    return require_setting_scope(by, region_code)


def create_official(by, *, region_code: str, **data) -> Official:
    code = _require_writer(by, region_code)
    v = _check(data, code, None)
    official = Official(region_code=code, updated_by_id=getattr(by, "id", None), **v)
    db.session.add(official)
    db.session.flush()
    return official


def update_official(by, official: Official, **data) -> Official:
    if not in_scope(by, official.region_code):
        raise NotFound("Pejabat tidak ditemukan.")
    _require_writer(by, official.region_code)
    merged = {f: getattr(official, f) for f in FIELDS}
    merged.update({k: w for k, w in data.items() if k in FIELDS})
    v = _check(merged, official.region_code, official.id)
    for f, value in v.items():
        setattr(official, f, value)
    official.updated_by_id = getattr(by, "id", None)
    db.session.flush()
    return official


def kabkota_or_none(code: str | None) -> str | None:
    """The kab/kota of a kab/kota, kecamatan or kelurahan code; None above (a province)."""
    try:
        if not code or level_of(code) not in ("kabkota", "kecamatan", "kelurahan"):
            return None
    except ValueError:
        return None
    return kabkota_of(code)


def _signing_region(code: str | None) -> str | None:
    """Officials sign for a kab/kota; a province has one only where a row is stored under the
    province's own code (its packet names who must sign otherwise)."""
    kab = kabkota_or_none(code)
    if kab is not None:
        return kab
    try:
        return code if code and level_of(code) == "provinsi" else None
    except ValueError:
        return None


def signer_of(region_code: str | None, kind: str, on: date | None = None) -> Official | None:
    """The official of the kab/kota of `region_code` (or of the province itself) who signs
    `kind` on `on` (today)."""
    kab = _signing_region(region_code)
    if kab is None:
        return None
    on = on or today_wib()
    rows = db.session.scalars(
        sa.select(Official)
        .where(Official.region_code == kab)
        .order_by(Official.active_from.desc(), Official.id.desc())
    )
    return next((o for o in rows if kind in (o.signs or []) and o.active_on(on)), None)


def signatory(region_code: str | None, kind: str, on: date | None = None) -> dict | None:
    """What a document keeps of its signer: name, NIP, rank, position and the a.n./Plt. line."""
    o = signer_of(region_code, kind, on)
    if o is None:
        return None
    return {
        "official_id": o.id,
        "name": o.name,
        "nip": o.nip,
        "rank": o.rank or "",
        "position": o.position,
        "line": o.sign_line or "",
    }


def kop(region_code: str | None) -> dict:
    """The letterhead of the kab/kota of `region_code` (letter settings, with the logo)."""
    from assets_app.letters import services as letters

    kab = kabkota_or_none(region_code)
    if kab is None:
        return {
            "pemerintah": "PEMERINTAH DAERAH",
            "dinas": "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
        }
    return letters.get_settings(kab).kop()


def snapshot(region_code: str | None, kind: str, on: date | None = None) -> dict:
    """The kop and the signatory a document of `kind` is signed with today, as stored JSON."""
    return {"kop": kop(region_code), "signatory": signatory(region_code, kind, on)}
