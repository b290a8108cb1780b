"""Official letters: compose, sign (numbering), send, reply, PDF, and correspondence figures.

Generic: a letter points at what it is about with `subject_type`/`subject_id`; tickets and the
blanko domain call these functions, this module imports neither.

Outgoing letters (`keluar`) are numbered when a kadis signs them, from the Dinas's pattern and
a per-year sequence (`assets_app.common.sequence`), so a draft that is abandoned never burns a
number and no number is ever skipped or given twice. Incoming letters (`masuk`) keep the
sender's number.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from assets_app.common.errors import Forbidden, NotFound, ValidationFailed
from assets_app.common.formatting import WIB
from assets_app.common.permissions import can
from assets_app.common.sequence import next_value
from assets_app.db import utcnow
from assets_app.extensions import db
from assets_app.letters import vocab
from assets_app.letters.models import Letter, LetterSetting
from assets_app.regions.models import Region
from assets_app.regions.scope import in_scope, scope_clause, subtree_clause

CLASSIFICATION_RE = re.compile(r"^\d{3}(\.\d{1,3}){0,4}$")
_TOKEN_RE = re.compile(r"\{([a-z_]+)\}")
MAX_BODY = 20000


def today_wib() -> date:
    return utcnow().astimezone(WIB).date()


def kabkota_code(region_code: str) -> str | None:
    """The kab/kota a region belongs to ("36.73.05" → "36.73"); None above kab/kota level."""
    parts = (region_code or "").split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


# --- settings ------------------------------------------------------------------------------


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
    return Settings(region_code=kabkota, saved=True, **{f: getattr(row, f) for f in SETTING_FIELDS})


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


# --- reading -------------------------------------------------------------------------------


def get_letter_or_404(letter_id: int, user) -> Letter:
    letter = db.session.get(Letter, letter_id)
    if letter is None or not in_scope(user, letter.region_code):
        raise NotFound("Surat tidak ditemukan atau di luar cakupan wilayah Anda.")
    return letter


def letters_query(
    user,
    *,
    region: str | None = None,
    direction: str | None = None,
    status: str | None = None,
    q: str | None = None,
    subject_type: str | None = None,
) -> sa.Select:
    stmt = sa.select(Letter).where(scope_clause(Letter.region_code, user))
    if region:
        stmt = stmt.where(subtree_clause(Letter.region_code, region))
    if direction in vocab.LETTER_DIRECTION:
        stmt = stmt.where(Letter.direction == direction)
    if status in vocab.LETTER_STATUS:
        stmt = stmt.where(Letter.status == status)
    if subject_type:
        stmt = stmt.where(Letter.subject_type == subject_type)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Letter.perihal).like(like),
                sa.func.lower(Letter.recipient).like(like),
                sa.func.lower(sa.func.coalesce(Letter.number, "")).like(like),
                sa.func.lower(sa.func.coalesce(Letter.sender, "")).like(like),
            )
        )
    return stmt


def letters_for_subjects(subject_type: str, ids: list[int]) -> dict[int, list[Letter]]:
    """Letters of many subjects in one query: {subject_id: [letters by date]}."""
    out: dict[int, list[Letter]] = {i: [] for i in ids}
    if not ids:
        return out
    stmt = (
        sa.select(Letter)
        .where(
            Letter.subject_type == subject_type,
            Letter.subject_id.in_(ids),
            Letter.status != "dibatalkan",
        )
        .order_by(sa.func.coalesce(Letter.sent_on, Letter.letter_date), Letter.id)
    )
    for letter in db.session.scalars(stmt):
        out[letter.subject_id].append(letter)
    return out


def letters_for_subject(
    subject_type: str, subject_id: int, *, include_cancelled=False
) -> list[Letter]:
    stmt = (
        sa.select(Letter)
        .where(Letter.subject_type == subject_type, Letter.subject_id == subject_id)
        .order_by(Letter.created_at, Letter.id)
    )
    if not include_cancelled:
        stmt = stmt.where(Letter.status != "dibatalkan")
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class Correspondence:
    outgoing: int
    incoming: int
    replies: int
    awaiting: int
    days_waiting: int | None  # since the oldest letter still waiting for a reply
    oldest_waiting: Letter | None

    @property
    def text(self) -> str:
        parts = [f"{self.outgoing} surat keluar"]
        if self.incoming:
            parts.append(f"{self.incoming} surat masuk")
        parts.append(f"{self.replies} balasan")
        if self.days_waiting is not None:
            parts.append(f"menunggu {self.days_waiting} hari")
        return ", ".join(parts)


def correspondence(letters: list[Letter], today: date | None = None) -> Correspondence:
    """Counts over one subject's letters: sent (outgoing, signed and sent), received, replied,
    and how long the oldest unanswered letter has waited."""
    today = today or today_wib()
    outgoing = [lt for lt in letters if lt.direction == "keluar" and lt.sent_on]
    incoming = [lt for lt in letters if lt.direction == "masuk"]
    replies = sum(1 for lt in letters if lt.replied_on) + sum(
        1 for lt in incoming if lt.in_reply_to_id
    )
    waiting = [lt for lt in letters if lt.awaiting_reply and lt.sent_on]
    oldest = min(waiting, key=lambda lt: lt.sent_on) if waiting else None
    return Correspondence(
        outgoing=len(outgoing),
        incoming=len(incoming),
        replies=replies,
        awaiting=len(waiting),
        days_waiting=(today - oldest.sent_on).days if oldest else None,
        oldest_waiting=oldest,
    )


# --- writing -------------------------------------------------------------------------------


def _require_writer(by, region_code: str) -> None:
    if by is None:
        return  # the system (escalation) drafts letters; a person signs and sends them
    if not can(by, "letters.write"):
        raise Forbidden("Peran Anda tidak dapat menulis surat.")
    if not in_scope(by, region_code):
        raise NotFound("Wilayah di luar cakupan Anda.")


def _text(value, field: str, errors: dict, *, required: bool = True, limit: int | None = None):
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(field, []).append("Wajib diisi.")
    if limit and len(value) > limit:
        errors.setdefault(field, []).append(f"Maksimal {limit} karakter.")
    return value


def parse_date(value, field: str, errors: dict, *, required: bool = False) -> date | None:
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append("Wajib diisi.")
        return None
    if isinstance(value, datetime):
        return value.astimezone(WIB).date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors.setdefault(field, []).append("Tanggal tidak valid (format YYYY-MM-DD).")
        return None


def compose_letter(
    *,
    by,
    region_code: str,
    direction: str,
    recipient: str,
    perihal: str,
    body: str = "",
    classification: str | None = None,
    sifat: str = "biasa",
    lampiran: str = "-",
    signer_name: str | None = None,
    signer_nip: str | None = None,
    signer_rank: str | None = None,
    signer_position: str | None = None,
    recipient_place: str | None = None,
    sender: str | None = None,
    tembusan: str | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    letter_date: date | str | None = None,
    number: str | None = None,
    received_on: date | str | None = None,
    in_reply_to: Letter | None = None,
) -> Letter:
    """An outgoing draft (`keluar`, numbered later by `sign_letter`) or a recorded incoming
    letter (`masuk`, with the sender's `number` and `letter_date`). `by=None` is the system."""
    region = db.session.get(Region, region_code or "")
    if region is None:
        raise ValidationFailed(
            errors={"region_code": [f"Kode wilayah {region_code} tidak dikenal."]}
        )
    _require_writer(by, region.code)
    errors: dict[str, list[str]] = {}
    if direction not in vocab.LETTER_DIRECTION:
        errors["direction"] = ["Arah surat harus keluar atau masuk."]
    recipient = _text(recipient, "recipient", errors, limit=500)
    perihal = _text(perihal, "perihal", errors, limit=300)
    body = _text(body, "body", errors, required=direction == "keluar", limit=MAX_BODY)
    lampiran = _text(lampiran or "-", "lampiran", errors, limit=120)
    if sifat not in vocab.LETTER_SIFAT:
        errors["sifat"] = [
            "Sifat surat harus salah satu dari: " + ", ".join(vocab.LETTER_SIFAT.values()) + "."
        ]
    the_date = parse_date(letter_date, "letter_date", errors, required=direction == "masuk")
    received = parse_date(received_on, "received_on", errors)
    today = today_wib()
    if the_date and the_date > today:
        errors.setdefault("letter_date", []).append("Tanggal surat tidak boleh di masa depan.")
    if received and the_date and received < the_date:
        errors.setdefault("received_on", []).append(
            "Tanggal diterima tidak boleh sebelum tanggal surat."
        )
    classification = (classification or "").strip() or None
    issuer = kabkota_code(region.code)
    if direction == "keluar":
        if number:
            errors["number"] = ["Nomor surat keluar diberikan otomatis saat surat ditandatangani."]
        classification = classification or "000.2.2"
        if not CLASSIFICATION_RE.match(classification):
            errors["classification"] = ["Kode klasifikasi berupa angka bertitik, mis. 000.2.2."]
        if issuer is None:
            errors["region_code"] = [
                "Surat keluar harus terkait satu kabupaten/kota atau kecamatan."
            ]
    elif direction == "masuk":
        number = _text(number, "number", errors, limit=120)
        if classification and not CLASSIFICATION_RE.match(classification):
            errors["classification"] = ["Kode klasifikasi berupa angka bertitik, mis. 000.2.2."]
    if in_reply_to is not None and in_reply_to.region_code != region.code:
        errors["in_reply_to"] = ["Surat yang dibalas harus dari wilayah yang sama."]
    if errors:
        raise ValidationFailed(errors=errors)

    settings = get_settings(issuer) if issuer else None
    letter = Letter(
        region_code=region.code,
        issuer_code=issuer if direction == "keluar" else None,
        direction=direction,
        classification=classification,
        letter_date=the_date,
        sifat=sifat,
        lampiran=lampiran,
        perihal=perihal,
        sender=(sender or "").strip()[:300] or None,
        recipient=recipient,
        recipient_place=(recipient_place or "").strip()[:120] or None,
        body=body,
        tembusan=(tembusan or "").strip() or None,
        subject_type=subject_type,
        subject_id=subject_id,
        in_reply_to_id=in_reply_to.id if in_reply_to is not None else None,
        created_by_id=getattr(by, "id", None),
    )
    if direction == "keluar":
        letter.status = "draf"
        letter.kop = settings.kop()
        letter.sender = letter.sender or office_name(settings)
        letter.signer_name = (signer_name or settings.signer_name or "").strip() or None
        letter.signer_nip = (signer_nip or settings.signer_nip or "").strip() or None
        letter.signer_rank = (signer_rank or settings.signer_rank or "").strip() or None
        letter.signer_position = (signer_position or settings.signer_position).strip()
    else:
        letter.status = "diterima"
        letter.number = number
        letter.kop = {}
        letter.sent_on = the_date
        letter.received_on = received or today
    db.session.add(letter)
    db.session.flush()
    if in_reply_to is not None and in_reply_to.status in ("terkirim", "diterima"):
        _mark_replied(
            in_reply_to,
            letter.received_on or letter.letter_date,
            f"Dibalas dengan surat {letter.number}: {perihal}",
        )
    return letter


DRAFT_FIELDS = (
    "recipient",
    "recipient_place",
    "perihal",
    "body",
    "classification",
    "sifat",
    "lampiran",
    "tembusan",
    "letter_date",
    "signer_name",
    "signer_nip",
    "signer_rank",
    "signer_position",
)


def update_draft(letter: Letter, *, by, **fields) -> Letter:
    _require_writer(by, letter.region_code)
    if letter.status != "draf":
        raise ValidationFailed(
            "Hanya draf yang dapat diubah; surat yang sudah ditandatangani tetap seperti adanya."
        )
    errors: dict[str, list[str]] = {}
    values = {f: fields.get(f, getattr(letter, f)) for f in DRAFT_FIELDS}
    values["recipient"] = _text(values["recipient"], "recipient", errors, limit=500)
    values["perihal"] = _text(values["perihal"], "perihal", errors, limit=300)
    values["body"] = _text(values["body"], "body", errors, limit=MAX_BODY)
    values["lampiran"] = _text(values["lampiran"] or "-", "lampiran", errors, limit=120)
    values["classification"] = (values["classification"] or "").strip()
    if not CLASSIFICATION_RE.match(values["classification"]):
        errors["classification"] = ["Kode klasifikasi berupa angka bertitik, mis. 000.2.2."]
    if values["sifat"] not in vocab.LETTER_SIFAT:
        errors["sifat"] = ["Sifat surat tidak dikenal."]
    values["letter_date"] = parse_date(values["letter_date"], "letter_date", errors)
    if values["letter_date"] and values["letter_date"] > today_wib():
        errors.setdefault("letter_date", []).append("Tanggal surat tidak boleh di masa depan.")
    values["signer_position"] = _text(
        values["signer_position"], "signer_position", errors, limit=200
    )
    if errors:
        raise ValidationFailed(errors=errors)
    for f, v in values.items():
        if isinstance(v, str):
            v = v.strip() or (
                None
                if f in ("tembusan", "recipient_place", "signer_name", "signer_nip", "signer_rank")
                else v
            )
        setattr(letter, f, v)
    db.session.flush()
    return letter


def sign_letter(letter: Letter, by, *, at: datetime | None = None) -> Letter:
    """Kadis signs a draft: the letter gets its date (today unless set), its number from the
    Dinas's pattern and yearly sequence, and its PDF is rendered and stored with SHA-256."""
    if not can(by, "letters.sign"):
        raise Forbidden("Hanya kepala dinas yang dapat menandatangani surat.")
    if not in_scope(by, letter.region_code):
        raise NotFound("Surat di luar cakupan wilayah Anda.")
    if letter.direction != "keluar":
        raise ValidationFailed("Surat masuk tidak ditandatangani di sini.")
    if letter.status != "draf":
        raise ValidationFailed(
            f"Surat berstatus {letter.status_label}; hanya draf yang dapat ditandatangani."
        )
    at = at or utcnow()
    letter.letter_date = letter.letter_date or at.astimezone(WIB).date()
    if not letter.signer_name:
        letter.signer_name = by.name
    settings = get_settings(letter.issuer_code)
    seq = next_value(f"letter:{letter.issuer_code}:{letter.letter_date.year}")
    letter.seq_year = letter.letter_date.year
    letter.seq_no = seq
    letter.number = format_number(
        settings.number_pattern,
        classification=letter.classification or "000",
        seq=seq,
        unit=settings.unit_code,
        on=letter.letter_date,
        width=settings.number_width,
    )
    letter.status = "ditandatangani"
    letter.signed_by_id = by.id
    letter.signed_at = at
    db.session.flush()
    store_letter_pdf(letter)
    return letter


def mark_sent(letter: Letter, by, sent_on: date | str | None, channel: str) -> Letter:
    _require_writer(by, letter.region_code)
    if letter.direction != "keluar" or letter.status != "ditandatangani":
        raise ValidationFailed(
            "Hanya surat keluar yang sudah ditandatangani dapat dicatat terkirim."
        )
    errors: dict[str, list[str]] = {}
    sent = parse_date(sent_on, "sent_on", errors, required=True)
    if channel not in vocab.LETTER_CHANNEL:
        errors["channel"] = [
            "Pilih cara pengiriman: " + ", ".join(vocab.LETTER_CHANNEL.values()) + "."
        ]
    if sent and letter.letter_date and sent < letter.letter_date:
        errors.setdefault("sent_on", []).append("Tanggal kirim tidak boleh sebelum tanggal surat.")
    if sent and sent > today_wib():
        errors.setdefault("sent_on", []).append("Tanggal kirim tidak boleh di masa depan.")
    if errors:
        raise ValidationFailed(errors=errors)
    letter.sent_on = sent
    letter.channel = channel
    letter.status = "terkirim"
    db.session.flush()
    return letter


def _mark_replied(letter: Letter, replied_on: date, summary: str) -> None:
    letter.replied_on = replied_on
    letter.reply_summary = summary
    letter.status = "dibalas"


def record_reply(letter: Letter, by, replied_on: date | str | None, summary: str) -> Letter:
    """The answer to a sent outgoing letter, or the Dinas's answer to a received letter."""
    _require_writer(by, letter.region_code)
    if letter.status not in ("terkirim", "diterima"):
        raise ValidationFailed(
            "Balasan hanya dicatat untuk surat yang sudah terkirim atau diterima."
        )
    errors: dict[str, list[str]] = {}
    on = parse_date(replied_on, "replied_on", errors, required=True)
    summary = _text(summary, "summary", errors, limit=2000)
    if on and letter.sent_on and on < letter.sent_on:
        errors.setdefault("replied_on", []).append(
            "Tanggal balasan tidak boleh sebelum tanggal kirim."
        )
    if on and on > today_wib():
        errors.setdefault("replied_on", []).append("Tanggal balasan tidak boleh di masa depan.")
    if errors:
        raise ValidationFailed(errors=errors)
    _mark_replied(letter, on, summary)
    db.session.flush()
    return letter


def cancel_letter(letter: Letter, by) -> Letter:
    _require_writer(by, letter.region_code)
    if letter.status != "draf":
        raise ValidationFailed("Hanya draf yang dapat dibatalkan.")
    letter.status = "dibatalkan"
    db.session.flush()
    return letter


# --- PDF -----------------------------------------------------------------------------------


def letter_document(letter: Letter):
    from reports.letter_pdf import LetterDoc, LetterKop

    kop = letter.kop or {}
    tembusan = tuple(t.strip() for t in (letter.tembusan or "").splitlines() if t.strip())
    return LetterDoc(
        kop=LetterKop(
            pemerintah=kop.get("pemerintah", ""),
            dinas=kop.get("dinas", ""),
            address=kop.get("address", ""),
            contact=kop.get("contact", ""),
        ),
        place=kop.get("city", ""),
        letter_date=letter.letter_date,
        number=letter.number,
        sifat=letter.sifat_label,
        lampiran=letter.lampiran,
        perihal=letter.perihal,
        recipient=letter.recipient,
        recipient_place=letter.recipient_place,
        body=letter.body,
        signer_position=letter.signer_position or "",
        signer_name=letter.signer_name or "",
        signer_nip=letter.signer_nip or "",
        signer_rank=letter.signer_rank or "",
        tembusan=tembusan,
        draft=letter.status == "draf",
    )


def render_letter_pdf(letter: Letter) -> bytes:
    """The letter as PDF (drafts carry a DRAF watermark). Incoming letters have no PDF here."""
    from reports.letter_pdf import render_letter_pdf as render

    if letter.direction != "keluar":
        raise ValidationFailed("Surat masuk tidak dibuat sebagai PDF di sini.")
    return render(letter_document(letter))


def _storage_root() -> Path:
    return Path(current_app.instance_path) / "letters"


def store_letter_pdf(letter: Letter) -> str:
    """Renders the signed letter once and keeps it under instance/letters/ by SHA-256."""
    data = render_letter_pdf(letter)
    sha = hashlib.sha256(data).hexdigest()
    rel = f"{sha[:2]}/{sha}.pdf"
    path = _storage_root() / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    letter.pdf_sha256 = sha
    letter.pdf_path = rel
    db.session.flush()
    return sha


def letter_pdf_bytes(letter: Letter) -> bytes:
    """The stored PDF of a signed letter (verified against its SHA-256), else a fresh render."""
    if letter.pdf_path and letter.pdf_sha256:
        path = _storage_root() / letter.pdf_path
        if path.exists():
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() == letter.pdf_sha256:
                return data
    return render_letter_pdf(letter)


# --- figures for reports -------------------------------------------------------------------


def _period_bounds(start: date, end: date) -> tuple[date, date]:
    if start > end:
        raise ValidationFailed(errors={"start": ["Tanggal awal harus sebelum tanggal akhir."]})
    return start, end


def letter_stats(user, region_code: str | None, start: date, end: date) -> dict[str, dict]:
    """Per letter region (kecamatan, or kab/kota for its own letters), in the user's scope:

    - `letters_sent`: letters sent in [start, end] asking someone to act — outgoing letters by
      their sending date and incoming letters (e.g. from a kecamatan) by their date; replies
      are not counted;
    - `awaiting_reply`: of the letters sent on or before `end`, those without a reply by `end`;
    - `max_days_waiting`: days from the oldest of those to `end` (0 when none waits).

    Three aggregate queries whatever the number of letters.
    """
    start, end = _period_bounds(start, end)
    base = [
        scope_clause(Letter.region_code, user),
        Letter.sent_on.is_not(None),
        Letter.in_reply_to_id.is_(None),
        Letter.status != "dibatalkan",
    ]
    if region_code:
        base.append(subtree_clause(Letter.region_code, region_code))
    sent = dict(
        db.session.execute(
            sa.select(Letter.region_code, sa.func.count())
            .where(*base, Letter.sent_on >= start, Letter.sent_on <= end)
            .group_by(Letter.region_code)
        ).all()
    )
    waiting_rows = db.session.execute(
        sa.select(Letter.region_code, sa.func.count(), sa.func.min(Letter.sent_on))
        .where(
            *base,
            Letter.sent_on <= end,
            sa.or_(Letter.replied_on.is_(None), Letter.replied_on > end),
        )
        .group_by(Letter.region_code)
    ).all()
    out: dict[str, dict] = {}
    for code in set(sent) | {r[0] for r in waiting_rows}:
        out[code] = {"letters_sent": sent.get(code, 0), "awaiting_reply": 0, "max_days_waiting": 0}
    for code, count, oldest in waiting_rows:
        out[code]["awaiting_reply"] = count
        out[code]["max_days_waiting"] = (end - oldest).days
    return out


def days_between(a: date, b: date) -> int:
    return (b - a).days


def end_of_day(d: date) -> datetime:
    return datetime.combine(d + timedelta(days=1), time(0), tzinfo=WIB)
