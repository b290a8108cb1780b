"""API: /api/v1/operators, /api/v1/trainings (+ /{id}/attendance), /api/v1/training-gaps."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user

from assets_app.api.auth import require_api
from assets_app.api.base import Blueprint, PageArgs, Timestamps, paginated
from assets_app.api.schemas import Day, Int, list_filters, one_of
from assets_app.common import vocab
from assets_app.common.permissions import can
from assets_app.common.validate import Invalid, parse_text
from assets_app.training import certificates, gaps, queries, services

operators_blp = Blueprint(
    "api_operators", __name__, url_prefix="/api/v1/operators", description="Operator"
)
trainings_blp = Blueprint(
    "api_trainings", __name__, url_prefix="/api/v1/trainings", description="Pelatihan"
)
gaps_blp = Blueprint(
    "api_training_gaps",
    __name__,
    url_prefix="/api/v1/training-gaps",
    description="Kesenjangan operator terlatih per kecamatan dan jenis peralatan",
)


# --- schemas --------------------------------------------------------------------------------


class Text(ma.fields.String):
    """A text value as the forms give it: blanks collapsed (`parse_text`; with `keep_lines`
    only trimmed, as a note), None when empty."""

    def __init__(self, *args, keep_lines: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.keep_lines = keep_lines

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if self.keep_lines:
            return value.strip() or None
        try:
            return parse_text(value)
        except Invalid as e:
            raise ma.ValidationError(str(e)) from None


class ValidTopicSchema(ma.Schema):
    topic = ma.fields.String()
    valid_until = Day()


class OperatorSchema(Timestamps):
    name = ma.fields.String()
    nip = ma.fields.String(allow_none=True)
    position = ma.fields.String()
    region_code = ma.fields.String()
    phone = ma.fields.String(allow_none=True)
    active = ma.fields.Boolean()
    valid_certificates = ma.fields.List(ma.fields.Nested(ValidTopicSchema))


class OperatorArgs(PageArgs):
    q = ma.fields.String(load_default=None)
    active = ma.fields.Boolean(load_default=None)
    certified = ma.fields.Boolean(load_default=None)


class OperatorIn(ma.Schema):
    name = Text(required=True)
    region_code = Text(required=True)
    position = Text(required=True)
    nip = Text(load_default=None, allow_none=True)
    phone = Text(load_default=None, allow_none=True)


class AttendanceSchema(Timestamps):
    training_id = Int()
    operator_id = Int()
    operator_name = ma.fields.String()
    region_code = ma.fields.String()
    present = ma.fields.Boolean()
    passed = ma.fields.Boolean()
    score = Int(allow_none=True)
    certificate_no = ma.fields.String(allow_none=True)
    issued_on = Day(allow_none=True)
    valid_until = Day(allow_none=True)
    topics = ma.fields.List(ma.fields.Nested(ValidTopicSchema))
    verify_url = ma.fields.String(allow_none=True)


class TrainingSchema(Timestamps):
    title = ma.fields.String()
    topics = ma.fields.List(ma.fields.String())
    starts_on = Day()
    ends_on = Day()
    place = ma.fields.String()
    organiser = ma.fields.String()
    trainer = ma.fields.String(allow_none=True)
    region_code = ma.fields.String()
    notes = ma.fields.String(allow_none=True)
    has_materials = ma.fields.Boolean()
    attendance = ma.fields.List(ma.fields.Nested(AttendanceSchema))


class TrainingArgs(PageArgs):
    q = ma.fields.String(load_default=None)
    topic = one_of(vocab.TRAINING_TOPIC, load_default=None)
    year = Int(load_default=None, validate=ma.validate.Range(min=2000, max=2100))


class TrainingIn(ma.Schema):
    title = Text(required=True)
    topics = ma.fields.List(Text(), required=True)
    starts_on = Day(required=True)
    ends_on = Day(load_default=None, allow_none=True)
    place = Text(required=True)
    organiser = Text(required=True)
    trainer = Text(load_default=None, allow_none=True)
    region_code = Text(load_default=None, allow_none=True)
    notes = Text(load_default=None, allow_none=True, keep_lines=True)


class AttendanceIn(ma.Schema):
    operator_id = Int(required=True)
    present = ma.fields.Boolean(required=True)
    passed = ma.fields.Boolean(required=True)
    score = Int(load_default=None, allow_none=True)


class GapArgs(PageArgs):
    status = one_of(["red", "amber", "ok"], load_default=None)
    category = one_of(vocab.TRAINING_TOPIC, load_default=None)


class GapSchema(ma.Schema):
    region_code = ma.fields.String()
    region_name = ma.fields.String()
    region_level = ma.fields.String()
    category = ma.fields.String()
    assets_count = Int()
    valid_operators = Int()
    latest_valid_until = ma.fields.String(allow_none=True)
    status = ma.fields.String()


# --- helpers --------------------------------------------------------------------------------


def _dump(schema: type[ma.Schema], obj, **computed) -> dict:
    """The schema's fields read from the row, then the `computed` (or masked) ones."""
    names = [n for n in schema._declared_fields if n not in computed and hasattr(obj, n)]
    return {**{n: getattr(obj, n) for n in names}, **computed}


def _operator_dict(op, valid) -> dict:
    personal = can(current_user, "training.personal")
    return _dump(
        OperatorSchema,
        op,
        nip=op.nip if personal else None,
        phone=op.phone if personal else None,
        valid_certificates=[{"topic": t, "valid_until": v} for t, v in valid.get(op.id, [])],
    )


def _attendance_dict(att) -> dict:
    return _dump(
        AttendanceSchema,
        att,
        operator_name=att.operator.name,
        region_code=att.operator.region_code,
        topics=[{"topic": t.topic, "valid_until": t.valid_until} for t in att.topics_in_order],
        verify_url=certificates.verify_url(att.verify_token) if att.verify_token else None,
    )


def _training_dict(training, attendance=None) -> dict:
    extra = {} if attendance is None else {"attendance": [_attendance_dict(a) for a in attendance]}
    return _dump(TrainingSchema, training, has_materials=bool(training.materials_file), **extra)


# --- operators ------------------------------------------------------------------------------


@operators_blp.route("")
@operators_blp.arguments(OperatorArgs, location="query")
@operators_blp.response(200, OperatorSchema(many=True))
def list_operators(args):
    """Operator dalam cakupan; filter `region` (beserta bawahannya), `q`, `active`, `certified`."""
    require_api("training.view")
    certified = {True: "ya", False: "tidak"}.get(args["certified"])
    stmt = queries.operators_query(
        current_user, q=args["q"], region=args["region"], active=args["active"], certified=certified
    )
    items, headers = paginated(stmt, args)
    valid = gaps.valid_topics_for_operators([o.id for o in items])
    return [_operator_dict(o, valid) for o in items], headers


@operators_blp.route("", methods=["POST"])
@operators_blp.arguments(OperatorIn)
@operators_blp.response(201, OperatorSchema)
def create_operator(data):
    """Mendaftarkan operator (tanpa NIK atau data kependudukan lain)."""
    require_api("training.write")
    op = services.create_operator(data, by=current_user)
    return _operator_dict(op, {})


@operators_blp.route("/<int:operator_id>")
@operators_blp.response(200, OperatorSchema)
def get_operator(operator_id):
    require_api("training.view")
    op = queries.get_operator(operator_id, current_user)
    return _operator_dict(op, gaps.valid_topics_for_operators([op.id]))


# --- trainings ------------------------------------------------------------------------------


@trainings_blp.route("")
@trainings_blp.arguments(TrainingArgs, location="query")
@trainings_blp.response(200, TrainingSchema(many=True))
def list_trainings(args):
    """Sesi pelatihan yang terlihat oleh pengguna; filter `region`, `topic`, `year`, `q`."""
    require_api("training.view")
    stmt = queries.trainings_query(current_user, **list_filters(args))
    items, headers = paginated(stmt, args)
    return [_training_dict(t) for t in items], headers


@trainings_blp.route("", methods=["POST"])
@trainings_blp.arguments(TrainingIn)
@trainings_blp.response(201, TrainingSchema)
def create_training(data):
    """Membuat sesi: `title`, `topics` (kategori aset), `starts_on`, `ends_on`, `place`,
    `organiser` (dinas, ditjen_dukcapil, vendor); `region_code` bawaan = kab/kota pengguna."""
    require_api("training.write")
    training = services.create_training(data, by=current_user)
    return _training_dict(training, [])


@trainings_blp.route("/<int:training_id>")
@trainings_blp.response(200, TrainingSchema)
def get_training(training_id):
    require_api("training.view")
    training = queries.get_training(training_id, current_user)
    return _training_dict(training, queries.attendance_rows(training, current_user))


@trainings_blp.route("/<int:training_id>/attendance", methods=["POST"])
@trainings_blp.arguments(AttendanceIn)
@trainings_blp.response(201, AttendanceSchema)
def record_attendance(data, training_id):
    """Mencatat (atau memperbarui) kehadiran satu operator; lulus menerbitkan sertifikat."""
    require_api("training.write")
    training = queries.get_training(training_id, current_user, manage=True)
    att = services.record_attendance(training, by=current_user, **data)
    rows = [a for a in queries.attendance_rows(training, current_user) if a.id == att.id]
    return _attendance_dict(rows[0])


# --- gaps -----------------------------------------------------------------------------------


@gaps_blp.route("")
@gaps_blp.arguments(GapArgs, location="query")
@gaps_blp.response(200, GapSchema(many=True))
def list_gaps(args):
    """Sel (wilayah × kategori) yang memiliki peralatan: jumlah operator bersertifikat berlaku,
    status `red` (tidak ada), `amber` (semua berakhir ≤ 60 hari), `ok`."""
    require_api("training.view")
    stmt = gaps.gaps_stmt(
        current_user, args["region"], status=args["status"], category=args["category"]
    )
    rows, headers = paginated(stmt, args, scalars=False)
    return [r.as_dict() for r in gaps.gap_rows(rows)], headers
