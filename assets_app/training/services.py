"""Operators, training sessions, attendance and certificates: every rule and every write.

Services take the acting user as `by`, raise `ValidationFailed` with Indonesian messages keyed
by field, flush and never commit. The gap service (kecamatan × category coverage) lives in
`assets_app.training.gaps` and is re-exported here.
"""

from __future__ import annotations

import calendar
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import abort, current_app
from sqlalchemy.exc import IntegrityError

from assets_app.common import vocab
from assets_app.common.errors import Conflict, ValidationFailed
from assets_app.common.formatting import WIB
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import in_scope, scope_clause, subtree_clause, user_scope
from assets_app.regions.services import require_region_in_scope
from assets_app.training.gaps import (  # noqa: F401  (re-exported: the public gap API)
    EXPIRY_WARNING_DAYS,
    UNTRAINED_REASON,
    ExpiringCertificate,
    GapRow,
    PlanEntry,
    PlanTopic,
    expiring_certificates,
    expiring_certificates_stmt,
    gap_counts,
    gap_pairs,
    today_wib,
    trained_operator_counts,
    training_gaps,
    training_plan,
    training_plan_stmt,
    untrained_reason_for_assets,
    valid_topics_for_operators,
)
from assets_app.training.models import (
    DEFAULT_VALIDITY_MONTHS,
    Attendance,
    CertificateCounter,
    CertificateTopic,
    Operator,
    TopicValidity,
    Training,
    TrainingTopic,
)

TOPICS = tuple(vocab.TRAINING_TOPIC)
OPERATOR_LEVELS = ("kecamatan", "kabkota")
TRAINING_LEVELS = ("provinsi", "kabkota")
NIP_RE = re.compile(r"^\d{18}$")
PHONE_RE = re.compile(r"^(\+62|0)[0-9 ()-]{6,20}$")
MAX_MATERIALS_BYTES = 10 * 1024 * 1024


# --- small parsing helpers ------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _parse_date(value, field: str, errors: dict, label: str) -> date | None:
    if isinstance(value, datetime):
        return value.astimezone(WIB).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        errors.setdefault(field, []).append(f"{label} wajib diisi.")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.setdefault(field, []).append(f"{label} tidak valid (format YYYY-MM-DD).")
        return None


def _parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return _text(value).lower() in ("1", "true", "ya", "y", "on", "yes")


def _parse_score(value, errors: dict) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        errors.setdefault("score", []).append("Nilai harus bilangan bulat 0–100.")
        return None
    try:
        score = int(value) if isinstance(value, int) else int(_text(value))
    except ValueError:
        errors.setdefault("score", []).append("Nilai harus bilangan bulat 0–100.")
        return None
    if not 0 <= score <= 100:
        errors.setdefault("score", []).append("Nilai harus antara 0 dan 100.")
        return None
    return score


# --- settings: validity per topic -----------------------------------------------------------


def validity_months() -> dict[str, int]:
    """Months of validity per topic (the setting; 24 when never set)."""
    stored = dict(db.session.execute(sa.select(TopicValidity.topic, TopicValidity.months)).all())
    return {t: stored.get(t, DEFAULT_VALIDITY_MONTHS) for t in TOPICS}


def set_validity_months(values: dict[str, object], by=None) -> dict[str, int]:
    """Stores the validity of each topic (1–120 months). Affects certificates issued later."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    for topic in TOPICS:
        raw = values.get(topic)
        try:
            months = int(_text(raw)) if not isinstance(raw, int) else raw
        except ValueError:
            errors[topic] = ["Masa berlaku harus bilangan bulat (bulan)."]
            continue
        if not 1 <= months <= 120:
            errors[topic] = ["Masa berlaku harus antara 1 dan 120 bulan."]
            continue
        clean[topic] = months
    if errors:
        raise ValidationFailed(errors=errors)
    existing = {t.topic: t for t in db.session.scalars(sa.select(TopicValidity))}
    for topic, months in clean.items():
        row = existing.get(topic)
        if row is None:
            db.session.add(TopicValidity(topic=topic, months=months))
        elif row.months != months:
            row.months = months
    db.session.flush()
    return clean


# --- operators ------------------------------------------------------------------------------

OPERATOR_FIELDS = ("name", "nip", "position", "region_code", "phone")


@dataclass
class OperatorInput:
    name: str
    nip: str | None
    position: str
    region_code: str
    phone: str | None
    active: bool = True


def check_operator_fields(data: dict) -> tuple[OperatorInput, dict[str, list[str]]]:
    """Shape rules of one operator (no database): used by the form, the API and the import."""
    errors: dict[str, list[str]] = {}
    name = " ".join(_text(data.get("name")).split())
    if not name:
        errors["name"] = ["Nama wajib diisi."]
    elif len(name) > 120:
        errors["name"] = ["Nama maksimal 120 karakter."]
    position = " ".join(_text(data.get("position")).split())
    if not position:
        errors["position"] = ["Jabatan wajib diisi."]
    elif len(position) > 120:
        errors["position"] = ["Jabatan maksimal 120 karakter."]
    nip = re.sub(r"\s+", "", _text(data.get("nip"))) or None
    if nip is not None and not NIP_RE.match(nip):
        errors["nip"] = ["NIP harus 18 angka (tanpa spasi atau tanda baca), atau dikosongkan."]
    phone = _text(data.get("phone")) or None
    if phone is not None and not PHONE_RE.match(phone):
        errors["phone"] = ["Nomor telepon harus diawali 0 atau +62, 7–20 angka."]
    region_code = _text(data.get("region_code"))
    if not region_code:
        errors["region_code"] = ["Kode wilayah wajib diisi."]
    active = data.get("active", True)
    op = OperatorInput(name, nip, position, region_code, phone, _parse_bool(active))
    return op, errors


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


def existing_nips(nips: set[str], exclude_id: int | None = None) -> set[str]:
    if not nips:
        return set()
    stmt = sa.select(Operator.nip).where(Operator.nip.in_(sorted(nips)))
    if exclude_id is not None:
        stmt = stmt.where(Operator.id != exclude_id)
    return set(db.session.scalars(stmt))


def existing_name_regions(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """(lower(name), region_code) pairs already registered, in one query."""
    if not pairs:
        return set()
    regions = sorted({r for _, r in pairs})
    names = sorted({n for n, _ in pairs})
    stmt = sa.select(sa.func.lower(Operator.name), Operator.region_code).where(
        Operator.region_code.in_(regions), sa.func.lower(Operator.name).in_(names)
    )
    return {(n, r) for n, r in db.session.execute(stmt)} & pairs


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


def set_operator_active(op: Operator, active: bool, by) -> Operator:
    op.active = bool(active)
    db.session.flush()
    return op


def operators_query(
    user,
    *,
    q: str | None = None,
    region: str | None = None,
    active: bool | None = True,
    certified: str | None = None,
    today: date | None = None,
) -> sa.Select:
    """Operators in the user's scope. `certified`: "ya" (a valid certificate) or "tidak"."""
    from assets_app.regions.scope import scoped

    stmt = scoped(sa.select(Operator), Operator.region_code, user, region)
    if active is not None:
        stmt = stmt.where(Operator.active.is_(active))
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Operator.name).like(like), Operator.nip.like(like.strip("%") + "%")
            )
        )
    if certified in ("ya", "tidak"):
        today = today or today_wib()
        has_valid = (
            sa.select(CertificateTopic.id)
            .join(Attendance, Attendance.id == CertificateTopic.attendance_id)
            .where(
                CertificateTopic.operator_id == Operator.id,
                Attendance.passed.is_(True),
                CertificateTopic.valid_until >= today,
            )
            .exists()
        )
        stmt = stmt.where(has_valid if certified == "ya" else ~has_valid)
    return stmt.order_by(Operator.region_code, Operator.name, Operator.id)


def get_operator_or_404(operator_id: int, user) -> Operator:
    op = db.session.get(Operator, operator_id)
    if op is None or not in_scope(user, op.region_code):
        abort(404)
    return op


def region_names(codes) -> dict[str, str]:
    """Display names of many regions in one query."""
    codes = sorted({c for c in codes if c})
    if not codes:
        return {}
    out = {}
    for i in range(0, len(codes), 500):
        stmt = sa.select(Region).where(Region.code.in_(codes[i : i + 500]))
        out.update({r.code: region_label(r) for r in db.session.scalars(stmt)})
    return out


def region_label(region: Region) -> str:
    if region.level == "kabkota":
        return f"Dinas ({region.name})"
    return region.display_name


def operator_certificates(op: Operator) -> list[Attendance]:
    """Every session the operator attended, newest first, with training and topics loaded."""
    from sqlalchemy.orm import selectinload

    stmt = (
        sa.select(Attendance)
        .join(Training, Training.id == Attendance.training_id)
        .where(Attendance.operator_id == op.id)
        .options(selectinload(Attendance.training), selectinload(Attendance.topic_rows))
        .order_by(Training.starts_on.desc(), Attendance.id.desc())
    )
    return list(db.session.scalars(stmt))


# --- trainings ------------------------------------------------------------------------------


def training_visibility(user) -> sa.ColumnElement[bool]:
    """Sessions a user may see: organised inside their scope, or by a Dinas above it (a camat
    sees the sessions of their kabupaten; attendees are then filtered to their kecamatan)."""
    scope = user_scope(user)
    clause = scope_clause(Training.region_code, user)
    if scope:
        parts = scope.split(".")
        ancestors = [".".join(parts[:i]) for i in range(1, len(parts))]
        if ancestors:
            clause = sa.or_(clause, Training.region_code.in_(ancestors))
    return clause


def can_see_training(user, training: Training) -> bool:
    scope = user_scope(user)
    return in_scope(user, training.region_code) or bool(
        scope and scope.startswith(training.region_code + ".")
    )


def can_manage_training(user, training: Training) -> bool:
    """Writing (attendance, edits) needs the session inside the user's own scope."""
    return in_scope(user, training.region_code)


def trainings_query(
    user,
    *,
    q: str | None = None,
    region: str | None = None,
    topic: str | None = None,
    year: int | None = None,
) -> sa.Select:
    stmt = sa.select(Training).where(training_visibility(user))
    if region:
        stmt = stmt.where(subtree_clause(Training.region_code, region))
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Training.title).like(like), sa.func.lower(Training.place).like(like)
            )
        )
    if topic in TOPICS:
        stmt = stmt.where(
            sa.exists().where(
                TrainingTopic.training_id == Training.id, TrainingTopic.topic == topic
            )
        )
    if year:
        stmt = stmt.where(
            Training.starts_on >= date(year, 1, 1), Training.starts_on <= date(year, 12, 31)
        )
    return stmt.order_by(Training.starts_on.desc(), Training.id.desc())


def get_training_or_404(training_id: int, user) -> Training:
    training = db.session.get(Training, training_id)
    if training is None or not can_see_training(user, training):
        abort(404)
    return training


def attendance_counts(training_ids: list[int], user=None) -> dict[int, tuple[int, int, int]]:
    """(attendees, present, passed) per session in one query, counting only visible operators."""
    if not training_ids:
        return {}
    stmt = (
        sa.select(
            Attendance.training_id,
            sa.func.count(),
            sa.func.sum(sa.case((Attendance.present.is_(True), 1), else_=0)),
            sa.func.sum(sa.case((Attendance.passed.is_(True), 1), else_=0)),
        )
        .join(Operator, Operator.id == Attendance.operator_id)
        .where(Attendance.training_id.in_(training_ids))
        .group_by(Attendance.training_id)
    )
    if user is not None:
        stmt = stmt.where(scope_clause(Operator.region_code, user))
    return {tid: (n, int(p or 0), int(ok or 0)) for tid, n, p, ok in db.session.execute(stmt)}


def _check_training(data: dict, by, training: Training | None) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    out: dict = {}
    title = " ".join(_text(data.get("title")).split())
    if not title:
        errors["title"] = ["Judul pelatihan wajib diisi."]
    elif len(title) > 200:
        errors["title"] = ["Judul maksimal 200 karakter."]
    out["title"] = title
    raw_topics = data.get("topics") or []
    if isinstance(raw_topics, str):
        raw_topics = [t for t in re.split(r"[,\s]+", raw_topics) if t]
    topics = []
    for t in raw_topics:
        t = _text(t)
        if t not in TOPICS:
            errors.setdefault("topics", []).append(
                f"Materi '{t}' tidak dikenal; pilih dari: {', '.join(TOPICS)}."
            )
        elif t not in topics:
            topics.append(t)
    if not topics and "topics" not in errors:
        errors["topics"] = ["Pilih minimal satu materi (jenis peralatan)."]
    out["topics"] = topics
    starts = _parse_date(data.get("starts_on"), "starts_on", errors, "Tanggal mulai")
    ends_raw = data.get("ends_on")
    if ends_raw is None or (isinstance(ends_raw, str) and not ends_raw.strip()):
        ends = starts
    else:
        ends = _parse_date(ends_raw, "ends_on", errors, "Tanggal selesai")
    if starts and ends and ends < starts:
        errors["ends_on"] = ["Tanggal selesai tidak boleh sebelum tanggal mulai."]
    elif starts and ends and (ends - starts).days > 60:
        errors["ends_on"] = ["Satu sesi pelatihan paling lama 60 hari."]
    out["starts_on"], out["ends_on"] = starts, ends
    place = " ".join(_text(data.get("place")).split())
    if not place:
        errors["place"] = ["Tempat wajib diisi."]
    elif len(place) > 200:
        errors["place"] = ["Tempat maksimal 200 karakter."]
    out["place"] = place
    organiser = _text(data.get("organiser"))
    if organiser not in vocab.TRAINING_ORGANISER:
        errors["organiser"] = [
            f"Penyelenggara harus salah satu dari: {', '.join(vocab.TRAINING_ORGANISER)}."
        ]
    out["organiser"] = organiser
    trainer = " ".join(_text(data.get("trainer")).split()) or None
    if trainer and len(trainer) > 200:
        errors["trainer"] = ["Nama pelatih maksimal 200 karakter."]
    out["trainer"] = trainer
    out["notes"] = _text(data.get("notes")) or None
    region_code = _text(data.get("region_code")) or (training.region_code if training else "")
    if not region_code:
        scope = user_scope(by)
        if scope and scope.count(".") == 1:
            region_code = scope
    try:
        region = require_region_in_scope(region_code, by, "region_code", levels=TRAINING_LEVELS)
        out["region_code"] = region.code
    except ValidationFailed as e:
        for k, v in e.errors.items():
            errors.setdefault(k, []).extend(v)
    return out, errors


def create_training(data: dict, by, materials: UploadedFile | None = None) -> Training:
    """A session: title, topics, starts_on, ends_on, place, organiser, trainer, region_code."""
    clean, errors = _check_training(data, by, None)
    if materials is not None:
        try:
            check_materials(materials)
        except ValidationFailed as e:
            errors.update(e.errors)
    if errors:
        raise ValidationFailed(errors=errors)
    topics = clean.pop("topics")
    training = Training(**clean, created_by_id=getattr(by, "id", None))
    training.topic_rows = [TrainingTopic(topic=t) for t in topics]
    db.session.add(training)
    if materials is not None:
        attach_materials(training, materials)
    db.session.flush()
    return training


def update_training(training: Training, data: dict, by, materials: UploadedFile | None = None):
    clean, errors = _check_training(data, by, training)
    if materials is not None:
        try:
            check_materials(materials)
        except ValidationFailed as e:
            errors.update(e.errors)
    if errors:
        raise ValidationFailed(errors=errors)
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


# --- materials attachment ------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    content_type: str | None
    data: bytes


MATERIAL_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OOXML_DIR = {".docx": "word/", ".pptx": "ppt/", ".xlsx": "xl/"}


def _looks_like(ext: str, data: bytes) -> bool:
    if ext == ".pdf":
        return data.startswith(b"%PDF-")
    import io
    import zipfile

    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith(_OOXML_DIR[ext]) for n in names)


def check_materials(upload: UploadedFile) -> str:
    """Returns the extension; refuses anything not a real PDF/DOCX/PPTX/XLSX (content checked)."""
    name = Path(upload.filename or "").name
    ext = Path(name).suffix.lower()
    if ext not in MATERIAL_TYPES:
        raise ValidationFailed(
            errors={"materials": ["Materi harus berkas PDF, DOCX, PPTX atau XLSX."]}
        )
    if not upload.data:
        raise ValidationFailed(errors={"materials": ["Berkas materi kosong."]})
    if len(upload.data) > MAX_MATERIALS_BYTES:
        raise ValidationFailed(errors={"materials": ["Berkas materi maksimal 10 MB."]})
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared and declared not in ("application/octet-stream", MATERIAL_TYPES[ext]):
        raise ValidationFailed(
            errors={"materials": [f"Jenis berkas ({declared}) tidak sesuai dengan ekstensi {ext}."]}
        )
    if not _looks_like(ext, upload.data):
        raise ValidationFailed(
            errors={"materials": [f"Isi berkas bukan {ext.lstrip('.').upper()} yang sah."]}
        )
    return ext


def materials_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "training"
    path.mkdir(parents=True, exist_ok=True)
    return path


def attach_materials(training: Training, upload: UploadedFile) -> None:
    ext = check_materials(upload)
    stored = secrets.token_hex(16) + ext
    (materials_dir() / stored).write_bytes(upload.data)
    training.materials_name = Path(upload.filename).name[:200]
    training.materials_file = stored
    training.materials_type = MATERIAL_TYPES[ext]
    training.materials_size = len(upload.data)


def materials_path(training: Training) -> Path | None:
    if not training.materials_file:
        return None
    path = materials_dir() / training.materials_file
    return path if path.is_file() else None


# --- attendance and certificates -----------------------------------------------------------


def _next_certificate_no(year: int) -> str:
    """SERT/<year>/<6-digit sequence>; the counter row is bumped atomically (no duplicates)."""
    bump = (
        sa.update(CertificateCounter)
        .where(CertificateCounter.year == year)
        .values(last_no=CertificateCounter.last_no + 1)
        .returning(CertificateCounter.last_no)
        .execution_options(synchronize_session=False)
    )
    number = db.session.execute(bump).scalar()
    if number is None:
        try:
            with db.session.begin_nested():
                db.session.execute(sa.insert(CertificateCounter).values(year=year, last_no=1))
            number = 1
        except IntegrityError:
            number = db.session.execute(bump).scalar()
    return f"SERT/{year}/{number:06d}"


def _issue_certificate(att: Attendance, training: Training) -> None:
    months = validity_months()
    issued = training.ends_on
    att.issued_on = issued
    att.certificate_no = _next_certificate_no(issued.year)
    att.verify_token = secrets.token_urlsafe(18)[:24]
    rows = []
    for topic in training.topics:
        until = add_months(issued, months[topic]) - timedelta(days=1)
        rows.append(
            CertificateTopic(
                attendance_id=att.id, operator_id=att.operator_id, topic=topic, valid_until=until
            )
        )
    db.session.add_all(rows)
    att.valid_until = max((r.valid_until for r in rows), default=None)


def record_attendance(
    training: Training,
    *,
    operator_id,
    present,
    passed,
    score=None,
    by,
    today: date | None = None,
) -> Attendance:
    """Adds or updates one operator's attendance. Passing (present required, session ended)
    issues the certificate once; un-passing keeps the number but it no longer counts."""
    today = today or today_wib()
    errors: dict[str, list[str]] = {}
    if not can_manage_training(by, training):
        raise ValidationFailed(
            errors={"_schema": ["Sesi ini diselenggarakan di luar cakupan wilayah Anda."]}
        )
    try:
        op_id = int(operator_id)
    except (TypeError, ValueError):
        op_id = None
    op = db.session.get(Operator, op_id) if op_id is not None else None
    if op is None or not in_scope(by, op.region_code):
        errors["operator_id"] = ["Operator tidak ditemukan dalam cakupan wilayah Anda."]
    elif not (
        op.region_code == training.region_code
        or op.region_code.startswith(training.region_code + ".")
    ):
        errors["operator_id"] = [
            f"Operator {op.name} bukan dari wilayah penyelenggara sesi ini ({training.region_code})."
        ]
    present_b, passed_b = _parse_bool(present), _parse_bool(passed)
    score_v = _parse_score(score, errors)
    if passed_b and not present_b:
        errors.setdefault("passed", []).append("Peserta yang tidak hadir tidak dapat lulus.")
    if present_b and training.starts_on > today:
        errors.setdefault("present", []).append(
            "Pelatihan belum dimulai: kehadiran dicatat mulai tanggal mulai."
        )
    if passed_b and training.ends_on > today:
        errors.setdefault("passed", []).append(
            "Pelatihan belum selesai: kelulusan dicatat setelah tanggal selesai."
        )
    att = None
    if op is not None and "operator_id" not in errors:
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
    att.present, att.passed, att.score = present_b, passed_b, score_v
    if passed_b and att.certificate_no is None:
        db.session.flush()
        _issue_certificate(att, training)
    db.session.flush()
    return att


def attendance_stmt(training: Training, user) -> sa.Select:
    """Attendees of a session the user may see (a camat: own kecamatan), operators loaded."""
    from sqlalchemy.orm import contains_eager, selectinload

    return (
        sa.select(Attendance)
        .join(Operator, Operator.id == Attendance.operator_id)
        .where(Attendance.training_id == training.id, scope_clause(Operator.region_code, user))
        .options(contains_eager(Attendance.operator), selectinload(Attendance.topic_rows))
        .order_by(Operator.region_code, Operator.name, Attendance.id)
    )


def attendance_rows(training: Training, user) -> list[Attendance]:
    return list(db.session.scalars(attendance_stmt(training, user)).unique())


def get_attendance_or_404(attendance_id: int, user) -> Attendance:
    att = db.session.get(Attendance, attendance_id)
    if att is None:
        abort(404)
    op = db.session.get(Operator, att.operator_id)
    if op is None or not in_scope(user, op.region_code):
        abort(404)
    return att


def invitable_operators(training: Training, user) -> list[tuple[int, str]]:
    """(id, label) of active operators who may still be added to the session."""
    already = sa.select(Attendance.operator_id).where(Attendance.training_id == training.id)
    stmt = (
        sa.select(Operator.id, Operator.name, Operator.region_code, Region.name, Region.level)
        .join(Region, Region.code == Operator.region_code)
        .where(
            Operator.active.is_(True),
            scope_clause(Operator.region_code, user),
            subtree_clause(Operator.region_code, training.region_code),
            Operator.id.not_in(already),
        )
        .order_by(Operator.region_code, Operator.name)
    )
    out = []
    for oid, name, _code, rname, level in db.session.execute(stmt):
        where = f"Kec. {rname}" if level == "kecamatan" else f"Dinas ({rname})"
        out.append((oid, f"{name} — {where}"))
    return out


# --- the public verification page and the PDF ----------------------------------------------


@dataclass(frozen=True)
class PublicCertificate:
    """Exactly what the public page may show: no NIP, phone, position, kecamatan or score."""

    certificate_no: str
    name: str
    topics: tuple[tuple[str, date], ...]  # (label, valid_until)
    starts_on: date
    ends_on: date
    issued_on: date
    valid_until: date
    status: str  # berlaku | kedaluwarsa | dicabut
    status_label: str


def public_certificate(token: str, today: date | None = None) -> PublicCertificate | None:
    today = today or today_wib()
    if not token or len(token) > 40:
        return None
    att = db.session.scalar(sa.select(Attendance).where(Attendance.verify_token == token))
    if att is None or att.certificate_no is None:
        return None
    op = db.session.get(Operator, att.operator_id)
    training = db.session.get(Training, att.training_id)
    topics = list(
        db.session.execute(
            sa.select(CertificateTopic.topic, CertificateTopic.valid_until).where(
                CertificateTopic.attendance_id == att.id
            )
        )
    )
    order = list(TOPICS)
    topics.sort(key=lambda r: order.index(r[0]))
    valid_until = max((v for _, v in topics), default=att.valid_until or att.issued_on)
    if not att.passed:
        status, label = "dicabut", "Tidak berlaku (kelulusan dibatalkan)"
    elif valid_until < today:
        status, label = "kedaluwarsa", "Kedaluwarsa"
    else:
        status, label = "berlaku", "Berlaku"
    return PublicCertificate(
        certificate_no=att.certificate_no,
        name=op.name,
        topics=tuple((vocab.label(vocab.TRAINING_TOPIC, t), v) for t, v in topics),
        starts_on=training.starts_on,
        ends_on=training.ends_on,
        issued_on=att.issued_on,
        valid_until=valid_until,
        status=status,
        status_label=label,
    )


def certificate_document(att: Attendance, verify_url: str):
    """The frozen input of reports.certificate_pdf for one passed attendee."""
    from reports.certificate_pdf import CertificateTopicLine, TrainingCertificate

    if not att.passed or att.certificate_no is None:
        raise ValidationFailed(
            errors={"_schema": ["Peserta ini belum lulus: tidak ada sertifikat."]}
        )
    op = db.session.get(Operator, att.operator_id)
    training = db.session.get(Training, att.training_id)
    regions = {
        r.code: r
        for r in db.session.scalars(
            sa.select(Region).where(Region.code.in_({op.region_code, training.region_code}))
        )
    }
    topics = db.session.execute(
        sa.select(CertificateTopic.topic, CertificateTopic.valid_until).where(
            CertificateTopic.attendance_id == att.id
        )
    ).all()
    order = list(TOPICS)
    topics = sorted(topics, key=lambda r: order.index(r[0]))
    organiser_region = regions.get(training.region_code)
    op_region = regions.get(op.region_code)
    if organiser_region is not None and organiser_region.level == "kabkota":
        issuer = f"Dinas Kependudukan dan Pencatatan Sipil {organiser_region.name}"
    elif organiser_region is not None:
        issuer = f"Dinas Kependudukan dan Pencatatan Sipil Provinsi {organiser_region.name}"
    else:
        issuer = "Dinas Kependudukan dan Pencatatan Sipil"
    return TrainingCertificate(
        certificate_no=att.certificate_no,
        name=op.name,
        nip=op.nip,
        position=op.position,
        unit=region_label(op_region) if op_region else op.region_code,
        training_title=training.title,
        topics=tuple(
            CertificateTopicLine(vocab.label(vocab.TRAINING_TOPIC, t), v) for t, v in topics
        ),
        starts_on=training.starts_on,
        ends_on=training.ends_on,
        place=training.place,
        organiser=training.organiser_label,
        trainer=training.trainer,
        score=att.score,
        issuer=issuer,
        issued_on=att.issued_on,
        issued_place=(
            organiser_region.name.replace("Kabupaten ", "").replace("Kota ", "")
            if organiser_region
            else ""
        ),
        verify_url=verify_url,
    )
