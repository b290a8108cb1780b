"""Official letters, the verbs: compose, edit a draft, sign (numbering), send, reply, cancel.

Generic: a letter points at what it is about with `subject_type`/`subject_id`; tickets and the
blanko domain call these functions, this module imports neither.

Outgoing letters (`keluar`) are numbered when a kadis signs them, from the Dinas's pattern and
a per-year sequence (`assets_app.common.sequence`), so a draft that is abandoned never burns a
number and no number is ever skipped or given twice. Incoming letters (`masuk`) keep the
sender's number. Reading lives in `queries`, settings in `settings`, the PDF in `pdf`.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date, datetime

from assets_app.common.errors import Forbidden, NotFound, ValidationFailed
from assets_app.common.formatting import WIB
from assets_app.common.permissions import can
from assets_app.common.sequence import next_value
from assets_app.common.timeutil import today_wib, utcnow
from assets_app.common.validate import (
    OutOfWindow,
    check_date_window,
    control_message,
    forbidden_char,
)
from assets_app.extensions import db
from assets_app.letters import vocab
from assets_app.letters.models import Letter
from assets_app.letters.pdf import (  # noqa: F401  (letter_pdf_bytes: blanko reads it here)
    SCAN_MAX_BYTES,
    letter_pdf_bytes,
    scan_kind,
    store_letter_pdf,
    store_scan,
)
from assets_app.letters.settings import (  # noqa: F401  (blanko and hearing read these here)
    SETTING_FIELDS,
    format_number,
    get_settings,
    logo_file,
    office_name,
    save_logo,
    save_settings,
)
from assets_app.officials import services as officials
from assets_app.regions.models import Region, kabkota_of
from assets_app.regions.scope import in_scope

CLASSIFICATION_RE = re.compile(r"^\d{3}(\.\d{1,3}){0,4}$")
MAX_BODY = 20000


def _require_writer(by, region_code: str) -> None:
    if by is None:
        return  # the system (escalation) drafts letters; a person signs and sends them
    if not can(by, "letters.write"):
        raise Forbidden("Peran Anda tidak dapat menulis surat.")
    if not in_scope(by, region_code):
        raise NotFound("Wilayah di luar cakupan Anda.")


def _text(value, field: str, errors: dict, *, required: bool = True, limit: int | None = None):
    value = (value or "").strip()
    bad = forbidden_char(value, allow_cr=True)
    if bad is not None:
        errors.setdefault(field, []).append(control_message(bad))
    if required and not value:
        errors.setdefault(field, []).append("Wajib diisi.")
    if limit and len(value) > limit:
        errors.setdefault(field, []).append(f"Maksimal {limit} karakter.")
    return value


def _date(value, field: str, errors: dict, *, required: bool = False) -> date | None:
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append("Wajib diisi.")
        return None
    try:
        if isinstance(value, datetime):
            return check_date_window(value.astimezone(WIB).date())
        if isinstance(value, date):
            return check_date_window(value)
        return check_date_window(date.fromisoformat(str(value).strip()))
    except OutOfWindow as exc:
        errors.setdefault(field, []).append(str(exc))
        return None
    except ValueError:
        errors.setdefault(field, []).append("Tanggal tidak valid (format YYYY-MM-DD).")
        return None


def _check_new_letter(region: Region, direction: str, v: dict) -> dict:
    """The fields of a new letter checked at once; the clean values or ValidationFailed."""
    errors: dict[str, list[str]] = {}
    if direction not in vocab.LETTER_DIRECTION:
        errors["direction"] = ["Arah surat harus keluar atau masuk."]
    v["recipient"] = _text(v["recipient"], "recipient", errors, limit=500)
    v["perihal"] = _text(v["perihal"], "perihal", errors, limit=300)
    v["body"] = _text(v["body"], "body", errors, required=direction == "keluar", limit=MAX_BODY)
    v["lampiran"] = _text(v["lampiran"] or "-", "lampiran", errors, limit=120)
    if v["sifat"] not in vocab.LETTER_SIFAT:
        errors["sifat"] = [
            "Sifat surat harus salah satu dari: " + ", ".join(vocab.LETTER_SIFAT.values()) + "."
        ]
    the_date = _date(v["letter_date"], "letter_date", errors, required=direction == "masuk")
    received = _date(v["received_on"], "received_on", errors)
    if the_date and the_date > today_wib():
        errors.setdefault("letter_date", []).append("Tanggal surat tidak boleh di masa depan.")
    if received and the_date and received < the_date:
        errors.setdefault("received_on", []).append(
            "Tanggal diterima tidak boleh sebelum tanggal surat."
        )
    v["letter_date"], v["received_on"] = the_date, received
    v["classification"] = (v["classification"] or "").strip() or None
    if direction == "keluar":
        if v["number"]:
            errors["number"] = ["Nomor surat keluar diberikan otomatis saat surat ditandatangani."]
        v["classification"] = v["classification"] or "000.2.2"
        if kabkota_of(region.code) is None:
            errors["region_code"] = [
                "Surat keluar harus terkait satu kabupaten/kota atau kecamatan."
            ]
    elif direction == "masuk":
        v["number"] = _text(v["number"], "number", errors, limit=120)
    if v["classification"] and not CLASSIFICATION_RE.match(v["classification"]):
        errors["classification"] = ["Kode klasifikasi berupa angka bertitik, mis. 000.2.2."]
    reply_to = v["in_reply_to"]
    if reply_to is not None and reply_to.region_code != region.code:
        errors["in_reply_to"] = ["Surat yang dibalas harus dari wilayah yang sama."]
    if errors:
        raise ValidationFailed(errors=errors)
    return v


def _as_draft(letter: Letter, v: dict) -> None:
    """An outgoing draft: the kop and the signer of its kab/kota as of today (typed signer
    fields win); `sign_letter` reads them again, so the signed letter has the settings of
    the day it is signed."""
    settings = get_settings(letter.issuer_code)
    letter.status = "draf"
    letter.kop = settings.kop()
    letter.sender = letter.sender or office_name(settings)
    official = officials.signatory(letter.issuer_code, "surat") or {}
    default = {
        "name": official.get("name") or settings.signer_name,
        "nip": official.get("nip") or settings.signer_nip,
        "rank": official.get("rank") or settings.signer_rank,
        "position": official.get("position") or settings.signer_position,
    }
    for part in ("name", "nip", "rank", "position"):
        value = (v[f"signer_{part}"] or default[part] or "").strip() or None
        setattr(letter, f"signer_{part}", value)
    letter.signer_line = official.get("line") or None


def _signed_with(letter: Letter, by) -> None:
    """At signing: the kop and the official (`surat`) of the kab/kota as they are now, kept on
    the letter; without an official, the draft's signer fields (the settings' when empty)."""
    settings = get_settings(letter.issuer_code)
    letter.kop = settings.kop()
    official = officials.signatory(letter.issuer_code, "surat", letter.letter_date)
    if official:
        letter.signer_name, letter.signer_nip = official["name"], official["nip"]
        letter.signer_rank = official["rank"] or None
        letter.signer_position, letter.signer_line = official["position"], official["line"] or None
        return
    letter.signer_name = letter.signer_name or settings.signer_name or by.name
    letter.signer_nip = letter.signer_nip or settings.signer_nip or None
    letter.signer_rank = letter.signer_rank or settings.signer_rank or None
    letter.signer_position = letter.signer_position or settings.signer_position


def compose_letter(  # long only by its keyword list: one argument per letter field
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
    v = _check_new_letter(region, direction, {k: w for k, w in locals().items() if k != "by"})
    letter = Letter(
        region_code=region.code,
        issuer_code=kabkota_of(region.code) if direction == "keluar" else None,
        direction=direction,
        classification=v["classification"],
        letter_date=v["letter_date"],
        sifat=sifat,
        lampiran=v["lampiran"],
        perihal=v["perihal"],
        sender=(sender or "").strip()[:300] or None,
        recipient=v["recipient"],
        recipient_place=(recipient_place or "").strip()[:120] or None,
        body=v["body"],
        tembusan=(tembusan or "").strip() or None,
        subject_type=subject_type,
        subject_id=subject_id,
        in_reply_to_id=in_reply_to.id if in_reply_to is not None else None,
        created_by_id=getattr(by, "id", None),
    )
    if direction == "keluar":
        _as_draft(letter, v)
    else:
        letter.status, letter.number, letter.kop = "diterima", v["number"], {}
        letter.sent_on = v["letter_date"]
        letter.received_on = v["received_on"] or today_wib()
    db.session.add(letter)
    db.session.flush()
    if in_reply_to is not None and in_reply_to.status in ("terkirim", "diterima"):
        on = letter.received_on or letter.letter_date
        _mark_replied(in_reply_to, on, f"Dibalas dengan surat {letter.number}: {v['perihal']}")
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
    values["letter_date"] = _date(values["letter_date"], "letter_date", errors)
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
    _signed_with(letter, by)
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
    _tell_subject(letter)
    return letter


def _tell_subject(letter: Letter) -> None:
    """What a signed letter is about learns its number (a blanko request carries it)."""
    if letter.subject_type == "blanko_request" and letter.subject_id is not None:
        from assets_app.blanko.services import request_letter_signed

        request_letter_signed(letter.subject_id, letter.number, letter.letter_date)


def mark_sent(letter: Letter, by, sent_on: date | str | None, channel: str) -> Letter:
    _require_writer(by, letter.region_code)
    if letter.direction != "keluar" or letter.status != "ditandatangani":
        raise ValidationFailed(
            "Hanya surat keluar yang sudah ditandatangani dapat dicatat terkirim."
        )
    errors: dict[str, list[str]] = {}
    sent = _date(sent_on, "sent_on", errors, required=True)
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
    on = _date(replied_on, "replied_on", errors, required=True)
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


def _decoded_scan(file: str | None, errors: dict) -> tuple[bytes, str] | None:
    """The optional scan of a reply (base64 of a PDF, JPEG or PNG): (bytes, extension)."""
    if not file:
        return None
    try:
        data = base64.b64decode(file, validate=True)
    except (binascii.Error, ValueError):
        errors["file"] = ["Isi berkas harus base64 yang valid."]
        return None
    if len(data) > SCAN_MAX_BYTES:
        errors["file"] = [f"Berkas melebihi {SCAN_MAX_BYTES // (1024 * 1024)} MB."]
        return None
    ext = scan_kind(data)
    if ext is None:
        errors["file"] = ["Berkas harus PDF, JPEG, atau PNG (diperiksa dari isinya)."]
        return None
    return data, ext


def record_incoming_reply(
    letter: Letter,
    *,
    by,
    number: str,
    letter_date: date | str | None,
    perihal: str,
    sender: str | None = None,
    received_on: date | str | None = None,
    file: str | None = None,
    file_name: str | None = None,
) -> Letter:
    """The reply that came in to a sent outgoing letter, recorded as an incoming letter linked
    to it (`in_reply_to`, same subject), with an optional scan; the letter becomes `dibalas`,
    so it leaves `letters_unanswered` from the reply's receiving date on."""
    _require_writer(by, letter.region_code)
    if letter.direction != "keluar" or letter.status != "terkirim":
        raise ValidationFailed(
            "Balasan hanya dicatat untuk surat keluar yang sudah terkirim "
            f"(surat ini berstatus {letter.status_label})."
        )
    errors: dict[str, list[str]] = {}
    scan = _decoded_scan(file, errors)
    on = _date(letter_date, "letter_date", errors, required=True)
    if on and letter.sent_on and on < letter.sent_on:
        errors.setdefault("letter_date", []).append(
            "Tanggal surat balasan tidak boleh sebelum tanggal kirim surat yang dibalas."
        )
    if errors:
        raise ValidationFailed(errors=errors)
    reply = compose_letter(
        by=by,
        region_code=letter.region_code,
        direction="masuk",
        sender=sender or letter.recipient,
        recipient=letter.sender or letter.signer_position or "Kepala Dinas",
        number=number,
        letter_date=on,
        received_on=received_on,
        perihal=perihal,
        subject_type=letter.subject_type,
        subject_id=letter.subject_id,
        in_reply_to=letter,
    )
    if scan is not None:
        store_scan(reply, *scan)
    return reply


def cancel_letter(letter: Letter, by) -> Letter:
    _require_writer(by, letter.region_code)
    if letter.status != "draf":
        raise ValidationFailed("Hanya draf yang dapat dibatalkan.")
    letter.status = "dibatalkan"
    db.session.flush()
    return letter
