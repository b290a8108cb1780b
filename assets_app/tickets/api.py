"""`/api/v1/tickets` (+ `/{id}/transitions`, `/{id}/letters`): same services, scope and roles
as the web. `POST /tickets` honours an `Idempotency-Key` header."""

from __future__ import annotations

import marshmallow as ma
from flask import request
from flask_login import current_user

from assets_app.api.auth import require_api
from assets_app.api.base import Blueprint, PageArgs, Timestamps, paginated
from assets_app.api.schemas import Day, Int, Moment, list_filters, one_of
from assets_app.common import vocab
from assets_app.common.timeutil import utcnow
from assets_app.letters import queries as letter_queries
from assets_app.letters import vocab as letter_vocab
from assets_app.tickets import queries, services, sla, sla_config

blp = Blueprint(
    "api_tickets", __name__, url_prefix="/api/v1/tickets", description="Tiket perbaikan"
)


class TicketArgs(PageArgs):
    status = one_of(["terbuka", *vocab.TICKET_STATUS], load_default=None)
    priority = one_of(vocab.TICKET_PRIORITY, load_default=None)
    category = one_of(vocab.TICKET_CATEGORY, load_default=None)
    responsible_party = one_of(vocab.RESPONSIBLE_PARTY, load_default=None, attribute="party")
    overdue = ma.fields.Boolean(load_default=False)
    mine = ma.fields.Boolean(load_default=False)
    q = ma.fields.String(load_default=None)


class TicketIn(ma.Schema):
    region_code = ma.fields.String(required=True)
    asset_id = Int(load_default=None, allow_none=True)
    # Optional: move the named asset to "gangguan" with the ticket (as the web form's box).
    mark_asset_down = ma.fields.Boolean(load_default=False)
    category = one_of(vocab.TICKET_CATEGORY, required=True)
    urgency = one_of(vocab.LEVEL3, required=True)
    impact = one_of(vocab.LEVEL3, required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)


class TicketOut(Timestamps):
    number = ma.fields.String()
    region_code = ma.fields.String()
    asset_id = Int(allow_none=True)
    category = ma.fields.String()
    urgency = ma.fields.String()
    impact = ma.fields.String()
    priority = ma.fields.String()
    title = ma.fields.String()
    description = ma.fields.String()
    status = ma.fields.String()
    responsible_party = ma.fields.String()
    assignee_id = Int(allow_none=True)
    reporter_id = Int(allow_none=True)
    reopened_count = Int()
    escalation_level = Int()
    accepted_at = Moment(allow_none=True)
    resolved_at = Moment(allow_none=True)
    closed_at = Moment(allow_none=True)
    accept_due_at = Moment(allow_none=True)
    resolve_due_at = Moment(allow_none=True)
    overdue = ma.fields.Method("_overdue")

    def _overdue(self, obj) -> bool:
        return obj.is_overdue(utcnow())


class EventOut(ma.Schema):
    id = Int()
    kind = ma.fields.String()
    from_value = ma.fields.String(allow_none=True, data_key="from")
    to_value = ma.fields.String(allow_none=True, data_key="to")
    note = ma.fields.String(allow_none=True)
    author_id = Int(allow_none=True)
    at = Moment()


class ClockOut(ma.Schema):
    state = ma.fields.String()
    target_seconds = Int()
    elapsed_seconds = Int()
    remaining_seconds = Int()
    due_at = Moment(allow_none=True)
    breached = ma.fields.Boolean()


class TicketDetailOut(TicketOut):
    events = ma.fields.List(ma.fields.Nested(EventOut))
    sla = ma.fields.Dict()
    correspondence = ma.fields.String()


class TransitionIn(ma.Schema):
    to = one_of(vocab.TICKET_STATUS, required=True)
    note = ma.fields.String(load_default=None, allow_none=True)
    responsible_party = one_of(vocab.RESPONSIBLE_PARTY, load_default=None, allow_none=True)
    assignee_id = Int(load_default=None, allow_none=True)
    update_asset = ma.fields.Boolean(load_default=True)


class LetterIn(ma.Schema):
    direction = one_of(letter_vocab.LETTER_DIRECTION, required=True)
    recipient = ma.fields.String(required=True)
    perihal = ma.fields.String(load_default=None)
    body = ma.fields.String(load_default=None)
    letter_date = Day(load_default=None, allow_none=True)
    number = ma.fields.String(load_default=None, allow_none=True)
    sender = ma.fields.String(load_default=None, allow_none=True)
    received_on = Day(load_default=None, allow_none=True)
    recipient_place = ma.fields.String(load_default=None, allow_none=True)
    classification = ma.fields.String(load_default=None, allow_none=True)
    sifat = one_of(letter_vocab.LETTER_SIFAT, load_default="biasa")
    lampiran = ma.fields.String(load_default="-")
    tembusan = ma.fields.String(load_default=None, allow_none=True)
    in_reply_to_id = Int(load_default=None, allow_none=True)


class LetterOut(ma.Schema):
    id = Int()
    region_code = ma.fields.String()
    direction = ma.fields.String()
    status = ma.fields.String()
    number = ma.fields.String(allow_none=True)
    classification = ma.fields.String(allow_none=True)
    letter_date = Day(allow_none=True)
    sifat = ma.fields.String()
    lampiran = ma.fields.String()
    perihal = ma.fields.String()
    sender = ma.fields.String(allow_none=True)
    recipient = ma.fields.String()
    recipient_place = ma.fields.String(allow_none=True)
    body = ma.fields.String()
    subject_type = ma.fields.String(allow_none=True)
    subject_id = Int(allow_none=True)
    in_reply_to_id = Int(allow_none=True)
    sent_on = Day(allow_none=True)
    received_on = Day(allow_none=True)
    channel = ma.fields.String(allow_none=True)
    replied_on = Day(allow_none=True)
    reply_summary = ma.fields.String(allow_none=True)
    pdf_sha256 = ma.fields.String(allow_none=True)
    created_at = Moment()


class _Detail:
    """The ticket plus what the detail view adds, for TicketDetailOut to dump."""

    def __init__(self, ticket, **extra):
        self._ticket = ticket
        self.__dict__.update(extra)

    def __getattr__(self, name):
        return getattr(self._ticket, name)


def _clock(clock: sla.Clock) -> dict:
    return ClockOut().dump(
        {
            "state": clock.state,
            "target_seconds": int(clock.target.total_seconds()),
            "elapsed_seconds": int(clock.elapsed.total_seconds()),
            "remaining_seconds": int(clock.remaining.total_seconds()),
            "due_at": clock.due_at,
            "breached": clock.breached,
        }
    )


@blp.route("")
@blp.arguments(TicketArgs, location="query")
@blp.response(200, TicketOut(many=True))
def list_tickets(args):
    """Tiket dalam cakupan; filter `status` (`terbuka` = belum selesai), `priority`,
    `category`, `responsible_party`, `overdue`, `mine`, `q`, `region`."""
    require_api("tickets.view")
    return paginated(queries.tickets_query(current_user, **list_filters(args)), args)


@blp.route("", methods=["POST"])
@blp.arguments(TicketIn)
@blp.response(201, TicketOut)
def create_ticket(data):
    """Membuat tiket. Kirim ulang dengan `Idempotency-Key` yang sama → tiket yang sama (200)."""
    require_api("tickets.file")
    key = request.headers.get("Idempotency-Key")
    ticket, created = services.file_ticket(
        by=current_user,
        idempotency_key=key,
        request_fingerprint=services.fingerprint(data) if key else None,
        **data,
    )
    if created:
        return ticket
    return ticket, 200, {"Idempotent-Replayed": "true"}


@blp.route("/<int:ticket_id>")
@blp.response(200, TicketDetailOut)
def get_ticket(ticket_id):
    require_api("tickets.view")
    ticket = queries.get_ticket_or_404(ticket_id, current_user)
    clocks = sla_config.ticket_clocks(ticket)
    return _Detail(
        ticket,
        events=queries.ticket_events(ticket),
        sla={"accept": _clock(clocks.accept), "resolve": _clock(clocks.resolve)},
        correspondence=letter_queries.correspondence(queries.ticket_letters(ticket)).text,
    )


@blp.route("/<int:ticket_id>/transitions", methods=["POST"])
@blp.arguments(TransitionIn)
@blp.response(200, TicketOut)
def post_transition(data, ticket_id):
    """Memindahkan tiket satu langkah alur kerja (`to`, `note`, opsional `responsible_party`,
    `assignee_id`). Langkah yang tidak sah → 422 dengan alasannya."""
    require_api("tickets.comment")
    ticket = queries.get_ticket_or_404(ticket_id, current_user)
    services.transition(ticket, by=current_user, **data)
    return ticket


@blp.route("/<int:ticket_id>/letters")
@blp.response(200, LetterOut(many=True))
def list_letters(ticket_id):
    require_api("tickets.view")
    ticket = queries.get_ticket_or_404(ticket_id, current_user)
    return queries.ticket_letters(ticket)


@blp.route("/<int:ticket_id>/letters", methods=["POST"])
@blp.arguments(LetterIn)
@blp.response(201, LetterOut)
def post_letter(data, ticket_id):
    """`keluar`: draf surat (nomor diberikan saat ditandatangani kepala dinas; `perihal` dan
    `body` bawaan berisi fakta tiket bila tidak dikirim). `masuk`: mencatat surat masuk dengan
    `number` dan `letter_date` dari pengirim."""
    require_api("letters.write")
    ticket = queries.get_ticket_or_404(ticket_id, current_user)
    return services.write_ticket_letter(ticket, by=current_user, **data)
