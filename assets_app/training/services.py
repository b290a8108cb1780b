"""Operators, training sessions and attendance: the verbs that change them, and their rules.

Services take the acting user as `by` and typed values (clean `str` or None, `date`, `int`,
`bool`: the forms, the API schemas and the importer parse), raise `ValidationFailed` with
Indonesian messages keyed by field, flush and never commit. Reads live in `queries`, the
gap figures in `gaps`, certificates in `certificates`, the validity setting in `settings`,
uploads in `materials`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

import sqlalchemy as sa

from assets_app.common import vocab
from assets_app.common.errors import Conflict, ValidationFailed
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import in_scope
from assets_app.regions.services import require_region_in_scope
from assets_app.training import gaps
from assets_app.training.certificates import issue_certificate
from assets_app.training.materials import UploadedFile, attach_materials, check_materials
from assets_app.training.models import Attendance, Operator, Training, TrainingTopic
from assets_app.training.queries import (
    can_manage_training,
    default_training_region,
    existing_nips,
)

TOPICS = tuple(vocab.TRAINING_TOPIC)
OPERATOR_LEVELS = ("kecamatan", "kabkota")
TRAINING_LEVELS = ("provinsi", "kabkota")
NIP_RE = re.compile(r"^\d{18}$")
PHONE_RE = re.compile(r"^(\+62|0)[0-9 ()-]{6,20}$")


def untrained_reason_for_assets(assets, today: date | None = None) -> dict[int, str]:
    """{asset.id: "tidak ada operator terlatih"} for the assets whose region has no operator
    with a valid certificate for their category (the assets domain's idle reasons ask this)."""
    return gaps.untrained_reason_for_assets(assets, today)


def _text_rule(errors, field, value, *, required=None, max_len=200, too_long=""):
    """A clean text value: `required` is the message when empty, `too_long` past `max_len`."""
    if not value:
        if required:
            errors[field] = [required]
        return None
    if len(value) > max_len:
        errors[field] = [too_long]
    return value


# --- operators ------------------------------------------------------------------------------


@dataclass
class OperatorInput:
    name: str | None
    nip: str | None
    position: str | None
    region_code: str | None
    phone: str | None
    active: bool = True


def check_operator_fields(data: dict) -> tuple[OperatorInput, dict[str, list[str]]]:
    """Shape rules of one operator (no database): used by the form, the API and the import."""
    errors: dict[str, list[str]] = {}
    name = _text_rule(
        errors, "name", data.get("name"), required="Nama wajib diisi.", max_len=120,
        too_long="Nama maksimal 120 karakter.",
    )  # fmt: skip
    position = _text_rule(
        errors, "position", data.get("position"), required="Jabatan wajib diisi.", max_len=120,
        too_long="Jabatan maksimal 120 karakter.",
    )  # fmt: skip
    nip = re.sub(r"\s+", "", data.get("nip") or "") or None
    if nip is not None and not NIP_RE.match(nip):
        errors["nip"] = ["NIP harus 18 angka (tanpa spasi atau tanda baca), atau dikosongkan."]
    phone = data.get("phone") or None
    if phone is not None and not PHONE_RE.match(phone):
        errors["phone"] = ["Nomor telepon harus diawali 0 atau +62, 7–20 angka."]
    region_code = data.get("region_code") or None
    if not region_code:
        errors["region_code"] = ["Kode wilayah wajib diisi."]
    active = bool(data.get("active", True))
    return OperatorInput(name, nip, position, region_code, phone, active), errors


def check_operator_regions(codes: set[str], by) -> dict[str, str]:
    """One query: for each code, an Indonesian error message, or nothing when acceptable."""
    problems: dict[str, str] = {}
    codes = {c for c in codes if c}
    if not codes:
        return problems
    found: dict[str, str] = {}
    chunked = sorted(codes)
    for i in range(0, len(chunked), 500):
        stmt = sa.select(Region.code, Region.level).where(Region.code.in_(chunked[i : i + 500]))
        found.update(db.session.execute(stmt).all())
    for code in codes:
        if code not in found:
            problems[code] = f"Kode wilayah {code} tidak dikenal."
        elif not in_scope(by, code):
            problems[code] = f"Wilayah {code} di luar cakupan wilayah Anda."
        elif found[code] not in OPERATOR_LEVELS:
            problems[code] = (
                f"Wilayah {code} harus kecamatan (atau kabupaten/kota untuk operator Dinas)."
            )
    return problems


def _save_operator(op: Operator | None, data: dict, by) -> Operator:
    clean, errors = check_operator_fields(data)
    if clean.region_code and "region_code" not in errors:
        problem = check_operator_regions({clean.region_code}, by).get(clean.region_code)
        if problem:
            errors["region_code"] = [problem]
    if clean.nip and "nip" not in errors and existing_nips({clean.nip}, op.id if op else None):
        errors["nip"] = [f"NIP {clean.nip} sudah terdaftar untuk operator lain."]
    if errors:
        raise ValidationFailed(errors=errors)
    if op is None:
        op = Operator(created_by_id=getattr(by, "id", None))
        db.session.add(op)
        op.active = True
    else:
        op.active = clean.active
    op.name, op.nip, op.position = clean.name, clean.nip, clean.position
    op.region_code, op.phone = clean.region_code, clean.phone
    db.session.flush()
    return op


def create_operator(data: dict, by) -> Operator:
    """New active operator: name, position, region_code (kecamatan or kab/kota), nip, phone."""
    return _save_operator(None, data, by)


def update_operator(op: Operator, data: dict, by) -> Operator:
    data = {"active": op.active, **data}
    return _save_operator(op, data, by)


def create_operators(rows: list[OperatorInput], by) -> list[Operator]:
    """Adds checked operators in bulk (the XLSX import, after every row passed)."""
    new = [Operator(**asdict(c), created_by_id=getattr(by, "id", None)) for c in rows]
    db.session.add_all(new)
    db.session.flush()
    return new


def set_operator_active(op: Operator, active: bool, by) -> Operator:
    op.active = bool(active)
    db.session.flush()
    return op


# --- trainings ------------------------------------------------------------------------------


def _check_topics(raw, errors) -> list[str]:
    topics: list[str] = []
    for t in raw or []:
        if t not in TOPICS:
            errors.setdefault("topics", []).append(
                f"Materi '{t}' tidak dikenal; pilih dari: {', '.join(TOPICS)}."
            )
        elif t not in topics:
            topics.append(t)
    if not topics and "topics" not in errors:
        errors["topics"] = ["Pilih minimal satu materi (jenis peralatan)."]
    return topics


def _check_dates(starts: date | None, ends: date | None, errors) -> tuple[date | None, ...]:
    """A session of at most 60 days; no end date means a one-day session."""
    if starts is None and "starts_on" not in errors:
        errors["starts_on"] = ["Tanggal mulai wajib diisi."]
    ends = ends or starts
    if starts and ends and ends < starts:
        errors["ends_on"] = ["Tanggal selesai tidak boleh sebelum tanggal mulai."]
    elif starts and ends and (ends - starts).days > 60:
        errors["ends_on"] = ["Satu sesi pelatihan paling lama 60 hari."]
    return starts, ends


def _check_region(region_code, by, training, errors) -> str | None:
    region_code = region_code or (training.region_code if training else None)
    region_code = region_code or default_training_region(by) or ""
    try:
        return require_region_in_scope(region_code, by, "region_code", levels=TRAINING_LEVELS).code
    except ValidationFailed as e:
        for k, v in e.errors.items():
            errors.setdefault(k, []).extend(v)
        return None


def check_training(data: dict, by, training: Training | None = None) -> tuple[dict, dict]:
    """(clean values, errors) of a session's fields: every problem at once."""
    errors: dict[str, list[str]] = {}
    out: dict = {}
    out["title"] = _text_rule(
        errors, "title", data.get("title"), required="Judul pelatihan wajib diisi.",
        too_long="Judul maksimal 200 karakter.",
    )  # fmt: skip
    out["topics"] = _check_topics(data.get("topics"), errors)
    out["starts_on"], out["ends_on"] = _check_dates(
        data.get("starts_on"), data.get("ends_on"), errors
    )
    out["place"] = _text_rule(
        errors, "place", data.get("place"), required="Tempat wajib diisi.",
        too_long="Tempat maksimal 200 karakter.",
    )  # fmt: skip
    out["organiser"] = data.get("organiser")
    if out["organiser"] not in vocab.TRAINING_ORGANISER:
        errors["organiser"] = [
            f"Penyelenggara harus salah satu dari: {', '.join(vocab.TRAINING_ORGANISER)}."
        ]
    out["trainer"] = _text_rule(
        errors, "trainer", data.get("trainer"), too_long="Nama pelatih maksimal 200 karakter."
    )
    out["notes"] = data.get("notes") or None
    out["region_code"] = _check_region(data.get("region_code"), by, training, errors)
    return out, errors


def _checked_training(data, by, training, materials) -> dict:
    clean, errors = check_training(data, by, training)
    if materials is not None:
        try:
            check_materials(materials)
        except ValidationFailed as e:
            errors.update(e.errors)
    if errors:
        raise ValidationFailed(errors=errors)
    return clean


def create_training(data: dict, by, materials: UploadedFile | None = None) -> Training:
    """A session: title, topics, starts_on, ends_on, place, organiser, trainer, region_code."""
    clean = _checked_training(data, by, None, materials)
    topics = clean.pop("topics")
    training = Training(**clean, created_by_id=getattr(by, "id", None))
    training.topic_rows = [TrainingTopic(topic=t) for t in topics]
    db.session.add(training)
    if materials is not None:
        attach_materials(training, materials)
    db.session.flush()
    return training


def update_training(training: Training, data: dict, by, materials: UploadedFile | None = None):
    """Topics and dates are frozen once a certificate of the session was issued."""
    clean = _checked_training(data, by, training, materials)
    topics = clean.pop("topics")
    issued = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Attendance)
        .where(Attendance.training_id == training.id, Attendance.certificate_no.is_not(None))
    )
    frozen_changed = (
        set(topics) != set(training.topics)
        or clean["ends_on"] != training.ends_on
        or clean["starts_on"] != training.starts_on
    )
    if issued and frozen_changed:
        raise Conflict(
            errors={
                "topics": [
                    "Sertifikat sudah terbit untuk sesi ini: materi dan tanggal tidak dapat "
                    "diubah lagi. Buat sesi baru bila perlu."
                ]
            }
        )
    for key, value in clean.items():
        setattr(training, key, value)
    current = {t.topic: t for t in training.topic_rows}
    training.topic_rows = [current.get(t) or TrainingTopic(topic=t) for t in topics]
    if materials is not None:
        attach_materials(training, materials)
    db.session.flush()
    return training


# --- attendance -----------------------------------------------------------------------------


def _attendee(training: Training, operator_id: int | None, by, errors) -> Operator | None:
    """The operator to record, when in the user's scope and from the organiser's region."""
    op = db.session.get(Operator, operator_id) if operator_id is not None else None
    if op is None or not in_scope(by, op.region_code):
        errors["operator_id"] = ["Operator tidak ditemukan dalam cakupan wilayah Anda."]
        return None
    if not (
        op.region_code == training.region_code
        or op.region_code.startswith(training.region_code + ".")
    ):
        errors["operator_id"] = [
            f"Operator {op.name} bukan dari wilayah penyelenggara sesi ini ({training.region_code})."
        ]
        return None
    return op


def _attendance_rules(training, present, passed, score, today, errors) -> None:
    if score is not None and not 0 <= score <= 100:
        errors.setdefault("score", []).append("Nilai harus antara 0 dan 100.")
    if passed and not present:
        errors.setdefault("passed", []).append("Peserta yang tidak hadir tidak dapat lulus.")
    if present and training.starts_on > today:
        errors.setdefault("present", []).append(
            "Pelatihan belum dimulai: kehadiran dicatat mulai tanggal mulai."
        )
    if passed and training.ends_on > today:
        errors.setdefault("passed", []).append(
            "Pelatihan belum selesai: kelulusan dicatat setelah tanggal selesai."
        )


def record_attendance(
    training: Training,
    *,
    operator_id: int | None,
    present: bool,
    passed: bool,
    score: int | None = None,
    by,
    today: date | None = None,
) -> Attendance:
    """Adds or updates one operator's attendance. Passing (present required, session ended)
    issues the certificate once; un-passing keeps the number but it no longer counts."""
    if not can_manage_training(by, training):
        raise ValidationFailed(
            errors={"_schema": ["Sesi ini diselenggarakan di luar cakupan wilayah Anda."]}
        )
    errors: dict[str, list[str]] = {}
    op = _attendee(training, operator_id, by, errors)
    _attendance_rules(training, present, passed, score, today or today_wib(), errors)
    att = None
    if op is not None:
        att = db.session.scalar(
            sa.select(Attendance).where(
                Attendance.training_id == training.id, Attendance.operator_id == op.id
            )
        )
        if att is None and not op.active:
            errors["operator_id"] = [f"Operator {op.name} nonaktif."]
    if errors:
        raise ValidationFailed(errors=errors)
    if att is None:
        att = Attendance(
            training_id=training.id, operator_id=op.id, created_by_id=getattr(by, "id", None)
        )
        db.session.add(att)
    att.present, att.passed, att.score = bool(present), bool(passed), score
    if passed and att.certificate_no is None:
        db.session.flush()
        issue_certificate(att, training)
    db.session.flush()
    return att
