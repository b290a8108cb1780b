"""Read-only questions of the training domain: operators, sessions, attendance — and, for
other domains (hearing), the gap figures of `training.gaps`. Every `get_` raises `NotFound`
for what the user may not see."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from assets_app.common import vocab
from assets_app.common.errors import NotFound
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.regions.models import Region, level_of
from assets_app.regions.scope import in_scope, scope_clause, scoped, subtree_clause, user_scope
from assets_app.training.gaps import (  # noqa: F401  (the gap figures other domains read)
    gap_counts,
    trained_operator_counts,
    training_gaps,
    valid_topics_for_operators,
)
from assets_app.training.models import (
    Attendance,
    CertificateTopic,
    Operator,
    Training,
    TrainingTopic,
)

TOPICS = tuple(vocab.TRAINING_TOPIC)
PANEL_LIMIT = 30

# --- operators ------------------------------------------------------------------------------


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


def get_operator(operator_id: int, user) -> Operator:
    op = db.session.get(Operator, operator_id)
    if op is None or not in_scope(user, op.region_code):
        raise NotFound("Operator tidak ditemukan atau di luar cakupan wilayah Anda.")
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
    stmt = (
        sa.select(Attendance)
        .join(Training, Training.id == Attendance.training_id)
        .where(Attendance.operator_id == op.id)
        .options(selectinload(Attendance.training), selectinload(Attendance.topic_rows))
        .order_by(Training.starts_on.desc(), Attendance.id.desc())
    )
    return list(db.session.scalars(stmt))


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
    return {(n, r) for n, r in db.session.execute(stmt).all()} & pairs


def kecamatan_operators(region_code: str) -> tuple[list[Operator], int]:
    """The first active operators of one region (by name) for its panel, and how many there are."""
    stmt = (
        sa.select(Operator)
        .where(Operator.region_code == region_code, Operator.active.is_(True))
        .order_by(Operator.name)
    )
    operators = list(db.session.scalars(stmt.limit(PANEL_LIMIT)))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    return operators, total or 0


# --- sessions and attendance ------------------------------------------------------------


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


def get_training(training_id: int, user, *, manage: bool = False) -> Training:
    """A session the user may see — with `manage`, one they may also write to."""
    training = db.session.get(Training, training_id)
    if training is None or not can_see_training(user, training):
        raise NotFound("Sesi pelatihan tidak ditemukan.")
    if manage and not can_manage_training(user, training):
        raise NotFound("Sesi pelatihan tidak ditemukan atau di luar cakupan Anda.")
    return training


def default_training_region(user) -> str | None:
    """The Dinas that organises by default: the user's own kab/kota, when that is their scope."""
    scope = user_scope(user)
    return scope if scope and level_of(scope) == "kabkota" else None


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
    return {tid: (n, int(p or 0), int(ok or 0)) for tid, n, p, ok in db.session.execute(stmt).all()}


def attendance_stmt(training: Training, user) -> sa.Select:
    """Attendees of a session the user may see (a camat: own kecamatan), operators loaded."""
    return (
        sa.select(Attendance)
        .join(Operator, Operator.id == Attendance.operator_id)
        .where(Attendance.training_id == training.id, scope_clause(Operator.region_code, user))
        .options(contains_eager(Attendance.operator), selectinload(Attendance.topic_rows))
        .order_by(Operator.region_code, Operator.name, Attendance.id)
    )


def attendance_rows(training: Training, user) -> list[Attendance]:
    return list(db.session.scalars(attendance_stmt(training, user)).unique())


def get_attendance(
    attendance_id: int, user, training: Training | None = None, *, certified: bool = False
) -> Attendance:
    """An attendee the user may see (of `training`, when given; with `certified`, one who
    passed and holds a certificate number)."""
    att = db.session.get(Attendance, attendance_id)
    op = db.session.get(Operator, att.operator_id) if att is not None else None
    if op is None or not in_scope(user, op.region_code):
        raise NotFound("Peserta tidak ditemukan atau di luar cakupan wilayah Anda.")
    if training is not None and att.training_id != training.id:
        raise NotFound("Peserta tidak ditemukan pada sesi ini.")
    if certified and not (att.passed and att.certificate_no):
        raise NotFound("Peserta ini belum lulus: tidak ada sertifikat.")
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
    for oid, name, _code, rname, level in db.session.execute(stmt).all():
        where = f"Kec. {rname}" if level == "kecamatan" else f"Dinas ({rname})"
        out.append((oid, f"{name} — {where}"))
    return out


def certificates_expiring(today: date, within_days: int) -> list[tuple[int, str, str, str, date]]:
    """(attendance id, certificate no, operator name, operator region, valid until) of active
    operators' certificates that are still valid and end within `within_days` of `today`."""
    from datetime import timedelta

    stmt = (
        sa.select(
            Attendance.id,
            Attendance.certificate_no,
            Operator.name,
            Operator.region_code,
            Attendance.valid_until,
        )
        .join(Operator, Operator.id == Attendance.operator_id)
        .where(
            Attendance.passed.is_(True),
            Operator.active.is_(True),
            Attendance.valid_until >= today,
            Attendance.valid_until <= today + timedelta(days=within_days),
        )
        .order_by(Attendance.valid_until, Attendance.id)
    )
    return [tuple(r) for r in db.session.execute(stmt).all()]
