"""Repair tickets, the verbs: filing, workflow steps, assignment, comments, ticket letters.

Every write takes the acting user as `by`, checks the rules, flushes and never commits (the
request's unit of work does). Reading lives in `queries`, SLA settings and due dates in
`sla_config`, letter wording in `wording`, the history in `timeline`, report figures in `stats`.
"""

from __future__ import annotations

from datetime import datetime

from assets_app.assets import queries as asset_queries
from assets_app.assets import services as asset_services
from assets_app.auth.models import User
from assets_app.common import idempotency, vocab
from assets_app.common.errors import Forbidden, NotFound, ValidationFailed
from assets_app.common.formatting import WIB
from assets_app.common.permissions import can
from assets_app.common.sequence import next_value
from assets_app.common.timeutil import utcnow
from assets_app.extensions import db
from assets_app.letters import queries as letter_queries
from assets_app.letters import services as letters
from assets_app.regions.scope import in_scope
from assets_app.regions.services import require_region_in_scope
from assets_app.tickets import attachments as files
from assets_app.tickets import daily, workflow
from assets_app.tickets.models import Ticket, TicketEvent
from assets_app.tickets.notifications import notify, users_covering
from assets_app.tickets.queries import SUBJECT, ticket_path
from assets_app.tickets.sla_config import refresh_sla
from assets_app.tickets.wording import letter_draft_defaults

# Asset status cause for a ticket category.
CATEGORY_CAUSE = {
    "jaringan": "jaringan",
    "perangkat": "perangkat_keras",
    "listrik": "listrik",
    "blanko": "blanko",
    "aplikasi": "perangkat_lunak",
    "lainnya": "lainnya",
}
MAX_TITLE = 200
MAX_TEXT = 10000


# --- filing --------------------------------------------------------------------------------


def fingerprint(payload: dict) -> str:
    return idempotency.fingerprint(payload)


def _replay(ticket_id: int | None) -> Ticket:
    ticket = db.session.get(Ticket, ticket_id) if ticket_id else None
    if ticket is None:
        raise NotFound("Tiket untuk kunci ini tidak ditemukan.")
    return ticket


def _text(value, field, errors, *, limit, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(field, []).append("Wajib diisi.")
    elif len(value) > limit:
        errors.setdefault(field, []).append(f"Maksimal {limit} karakter.")
    return value


def _choice(value, vocabulary: dict, field: str, errors: dict, what: str) -> str | None:
    if value in vocabulary:
        return value
    errors.setdefault(field, []).append(
        f"{what} harus salah satu dari: {', '.join(vocabulary)}."
        if value
        else f"{what} wajib dipilih."
    )
    return None


def _filing_asset(asset_id, by, region, errors: dict):
    if asset_id in (None, ""):
        return None
    asset = asset_queries.get_asset(asset_id)
    if asset is None or not in_scope(by, asset.region_code):
        errors["asset_id"] = ["Aset tidak ditemukan."]
    elif region is not None and asset.region_code != region.code:
        errors["asset_id"] = ["Aset harus milik kecamatan tiket ini."]
    elif asset.status == "dihapuskan":
        errors["asset_id"] = ["Aset sudah dihapuskan dari register."]
    else:
        return asset
    return None


def _check_filing(by, region_code, asset_id, attachments, **fields) -> dict:
    """Every field of a new ticket checked at once; the clean values, or ValidationFailed."""
    errors: dict[str, list[str]] = {}
    region = None
    if by.role == "camat" and not region_code:
        region_code = by.region_code
    try:
        region = require_region_in_scope(region_code, by, "region_code", levels=("kecamatan",))
    except ValidationFailed as e:
        errors.update(e.errors)
    clean = {
        "category": _choice(
            fields["category"], vocab.TICKET_CATEGORY, "category", errors, "Kategori"
        ),
        "urgency": _choice(fields["urgency"], vocab.LEVEL3, "urgency", errors, "Urgensi"),
        "impact": _choice(fields["impact"], vocab.LEVEL3, "impact", errors, "Dampak"),
        "title": _text(fields["title"], "title", errors, limit=MAX_TITLE),
        "description": _text(fields["description"], "description", errors, limit=MAX_TEXT),
    }
    asset = _filing_asset(asset_id, by, region, errors)
    uploads: list[files.Upload] = []
    try:
        uploads = files.validate_files(attachments)
    except ValidationFailed as e:
        errors.update(e.errors)
    if errors:
        raise ValidationFailed(errors=errors)
    return {**clean, "region": region, "asset": asset, "uploads": uploads}


def _attach(ticket: Ticket, uploads: list[files.Upload], by, at: datetime) -> TicketEvent:
    files.store(ticket, uploads, by, at)
    names = ", ".join(u.filename for u in uploads)
    return _event(ticket, "attachment", None, str(len(uploads)), names, by, at)


def file_ticket(
    *,
    by,
    region_code: str | None,
    category: str | None,
    urgency: str | None,
    impact: str | None,
    title: str | None,
    description: str | None,
    asset_id: int | str | None = None,
    mark_asset_down: bool = False,
    attachments=(),
    idempotency_key: str | None = None,
    request_fingerprint: str | None = None,
    at: datetime | None = None,
) -> tuple[Ticket, bool]:
    """Files a ticket; returns (ticket, created). With an idempotency key, a resend returns the
    ticket made the first time (created=False) and creates nothing. `mark_asset_down` moves
    the named asset to *gangguan* in the same transaction (the ticket's history says so)."""
    if not can(by, "tickets.file"):
        raise Forbidden("Peran Anda tidak dapat membuat tiket.")
    key = idempotency.clean_key(idempotency_key)
    done = idempotency.replayed(by, "ticket", key, request_fingerprint)
    if done is not None:
        return _replay(done), False
    f = _check_filing(
        by, region_code, asset_id, attachments,
        category=category, urgency=urgency, impact=impact, title=title, description=description,
    )  # fmt: skip
    claim, done = idempotency.claim(by, "ticket", key, request_fingerprint)
    if done is not None:
        return _replay(done), False
    ticket = _new_ticket(by, f, at or utcnow(), mark_asset_down=bool(mark_asset_down))
    if claim is not None:
        claim.subject_id = ticket.id
    db.session.flush()
    return ticket, True


def _new_ticket(by, f: dict, now: datetime, *, mark_asset_down: bool = False) -> Ticket:
    year = now.astimezone(WIB).year
    seq = next_value(f"ticket:{year}")
    ticket = Ticket(
        number=f"TK-{year}-{seq:05d}",
        region_code=f["region"].code,
        asset_id=f["asset"].id if f["asset"] else None,
        category=f["category"],
        urgency=f["urgency"],
        impact=f["impact"],
        priority=workflow.priority_for(f["urgency"], f["impact"]),
        title=f["title"],
        description=f["description"],
        status="baru",
        responsible_party="disdukcapil",
        reporter_id=by.id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(ticket)
    db.session.flush()
    daily.on_filed(ticket.region_code, now)  # the rollup of "Tiket dilaporkan", same transaction
    note = "Tiket dibuat."
    if mark_asset_down and f["asset"] is not None:
        note = " ".join(x for x in (note, _asset_down(ticket, f["asset"], by, now)) if x)
    _event(ticket, "transition", None, "baru", note, by, now)
    if f["uploads"]:
        _attach(ticket, f["uploads"], by, now)
    refresh_sla(ticket, now)
    _tell(
        users_covering(ticket.region_code, ("petugas", "kadis")),
        ticket,
        by,
        now,
        kind="tiket_baru",
        title=f"Tiket baru {ticket.number}: {ticket.title}",
        body=f"Prioritas {ticket.priority_label}, dilaporkan {by.name}.",
    )
    return ticket


def _event(ticket, kind, from_value, to_value, note, by, at) -> TicketEvent:
    ev = TicketEvent(
        ticket_id=ticket.id,
        kind=kind,
        from_value=from_value,
        to_value=to_value,
        note=(note or "").strip() or None,
        author_id=getattr(by, "id", None),
        at=at,
    )
    db.session.add(ev)
    return ev


# --- workflow ------------------------------------------------------------------------------


def _require_handler_in_scope(ticket: Ticket, by) -> None:
    if not in_scope(by, ticket.region_code):
        raise NotFound("Tiket tidak ditemukan atau di luar cakupan wilayah Anda.")


def _validate_assignee(ticket: Ticket, assignee_id, errors: dict) -> User | None:
    try:
        uid = int(assignee_id)
    except (TypeError, ValueError):
        errors["assignee_id"] = ["Petugas tidak dikenal."]
        return None
    user = db.session.get(User, uid)
    if (
        user is None
        or not user.active
        or user.role not in workflow.HANDLERS
        or not in_scope(user, ticket.region_code)
    ):
        errors["assignee_id"] = [
            "Penanggung jawab tiket harus petugas, kadis, atau admin aktif yang mencakup "
            "kecamatan ini."
        ]
        return None
    return user


def _tell(recipients, ticket: Ticket, by, at, *, kind, title, body, url=None) -> None:
    """Notifies about `ticket` (its page unless another `url`), never the acting user; `at`
    None: now."""
    notify(
        recipients,
        kind=kind,
        title=title,
        body=body,
        url=url or ticket_path(ticket.id),
        ticket_id=ticket.id,
        exclude=getattr(by, "id", None),
        at=at,
    )


def _set_assignee(ticket: Ticket, user: User, by, note, at) -> None:
    if ticket.assignee_id == user.id:
        return
    old = ticket.assignee_id
    ticket.assignee_id = user.id
    _event(ticket, "assign", str(old) if old else None, str(user.id), note, by, at)
    _tell(
        [user.id],
        ticket,
        by,
        at,
        kind="penugasan",
        title=f"Anda ditugaskan pada tiket {ticket.number}",
        body=ticket.title,
    )


def _set_party(ticket: Ticket, party: str, by, note, at) -> None:
    if ticket.responsible_party == party:
        return
    old = ticket.responsible_party
    ticket.responsible_party = party
    _event(ticket, "party", old, party, note, by, at)


def assign(ticket: Ticket, *, by, assignee_id=None, responsible_party=None, note=None, at=None):
    """Changes the assignee and/or the responsible party; each change is an event."""
    if not can(by, "tickets.handle"):
        raise Forbidden("Peran Anda tidak dapat menugaskan tiket.")
    _require_handler_in_scope(ticket, by)
    if not ticket.is_open:
        raise ValidationFailed(
            "Tiket yang sudah selesai atau ditutup tidak dapat ditugaskan ulang."
        )
    errors: dict[str, list[str]] = {}
    user = None
    if assignee_id not in (None, ""):
        user = _validate_assignee(ticket, assignee_id, errors)
    if responsible_party not in (None, ""):
        _choice(responsible_party, vocab.RESPONSIBLE_PARTY, "responsible_party", errors, "Pihak")
    note = _text(note, "note", errors, limit=MAX_TEXT, required=False)
    if user is None and responsible_party in (None, "") and not errors:
        errors["assignee_id"] = ["Pilih petugas atau pihak penanggung jawab."]
    if errors:
        raise ValidationFailed(errors=errors)
    now = at or utcnow()
    if user is not None:
        _set_assignee(ticket, user, by, note, now)
    if responsible_party:
        _set_party(ticket, responsible_party, by, note, now)
    ticket.updated_at = now
    db.session.flush()
    return ticket


def _move_asset(ticket: Ticket, to: str, note: str | None, by, now: datetime) -> str | None:
    """Moves the ticket's asset through the assets domain's status service, in the same
    transaction as the ticket step (working → in repair, resolved → operational). A ticket
    always knows why the asset is down; when its category maps to no cause, "lainnya" stands
    in. The downtime is attributed to the party recorded on the ticket, never to a default:
    the asset service refuses a down status without one. Returns the sentence for the event
    note, or None."""
    asset = asset_queries.get_asset(ticket.asset_id)
    status = "operasional" if to == "selesai" else "dalam_perbaikan"
    if asset is None or asset.status in (status, "dihapuskan"):
        return None
    down = status in vocab.DOWN_STATUSES
    asset_services.set_status(
        by,
        asset,
        status=status,
        cause=(CATEGORY_CAUSE.get(ticket.category) or "lainnya") if down else None,
        responsible_party=ticket.responsible_party if down else None,
        started_at=now,
        note=f"Tiket {ticket.number}: {note}" if note else f"Tiket {ticket.number}",
    )
    return f"Status aset {asset.name} menjadi {vocab.ASSET_STATUS[status]}."


def _asset_down(ticket: Ticket, asset, by, now: datetime) -> str | None:
    """Filing with "pindahkan status aset ke gangguan": the asset goes to *gangguan* through
    the assets domain's status service (cause from the ticket's category, the Dinas
    responsible until the ticket says otherwise). An asset already down is left as it is."""
    if asset.status in vocab.DOWN_STATUSES:
        return None
    asset_services.set_status(
        by,
        asset,
        status="gangguan",
        cause=CATEGORY_CAUSE.get(ticket.category) or "lainnya",
        responsible_party=ticket.responsible_party,
        started_at=now,
        note=f"Tiket {ticket.number}: {ticket.title}",
        now=now,
    )
    return f"Status aset {asset.name} menjadi {vocab.ASSET_STATUS['gangguan']}."


WAITED_PARTY_MISSING = (
    "Pihak yang ditunggu wajib dipilih: pihak ketiga (vendor, Diskominfo, Ditjen Dukcapil, "
    "PLN, atau kecamatan), bukan Disdukcapil sendiri."
)


def _check_step(ticket: Ticket, by, to, note, party, assignee_id, now) -> tuple:
    """The step is allowed and its fields are right: (note, party, assignee) or
    ValidationFailed with every problem at once."""
    reason = workflow.refusal(
        ticket.status,
        to or "",
        role=by.role,
        is_reporter=ticket.reporter_id == by.id,
        resolved_at=ticket.resolved_at,
        now=now,
    )
    if reason:
        raise ValidationFailed(errors={"to": [reason]})
    step = workflow.STEP_BY_PAIR[(ticket.status, to)]
    errors: dict[str, list[str]] = {}
    note = _text(note, "note", errors, limit=MAX_TEXT, required=step.note_required)
    if errors.get("note") and step.note_required and not note:
        errors["note"] = [f"Catatan wajib diisi: {step.note_hint}"]
    if party is not None:
        _choice(party, vocab.RESPONSIBLE_PARTY, "responsible_party", errors, "Pihak")
        if by.role not in workflow.HANDLERS and party != ticket.responsible_party:
            errors["responsible_party"] = [
                "Hanya petugas yang dapat mengubah pihak penanggung jawab."
            ]
    if to == "menunggu_pihak_ketiga" and (party or ticket.responsible_party) not in (
        workflow.THIRD_PARTIES
    ):  # never a default: the party waited for is named, or already recorded on the ticket
        errors.setdefault("responsible_party", []).append(WAITED_PARTY_MISSING)
    user = None
    if assignee_id not in (None, ""):
        if by.role not in workflow.HANDLERS:
            errors["assignee_id"] = ["Hanya petugas yang dapat menugaskan tiket."]
        else:
            user = _validate_assignee(ticket, assignee_id, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    return note, party, user


def _set_status(ticket: Ticket, to: str, now: datetime) -> str:
    source = ticket.status
    ticket.status = to
    ticket.updated_at = now
    if to == "diterima" and ticket.accepted_at is None:
        ticket.accepted_at = now
    if to == "selesai":
        ticket.resolved_at = now
    if workflow.is_reopen(source, to):
        ticket.resolved_at = None
        ticket.reopened_count += 1
    if to == "ditutup":
        ticket.closed_at = now
    return source


def transition(
    ticket: Ticket,
    *,
    by,
    to: str | None,
    note: str | None = None,
    responsible_party: str | None = None,
    assignee_id=None,
    update_asset: bool = True,
    at: datetime | None = None,
) -> Ticket:
    """Moves a ticket one step of the workflow (see `workflow.STEPS`), as `by` may."""
    _require_handler_in_scope(ticket, by)
    now = at or utcnow()
    note, party, user = _check_step(
        ticket, by, to, note, responsible_party or None, assignee_id, now
    )
    if party and party != ticket.responsible_party:
        _set_party(ticket, party, by, None, now)
    if user is not None:
        _set_assignee(ticket, user, by, None, now)
    elif to == "diterima" and ticket.assignee_id is None and by.role in workflow.HANDLERS:
        _set_assignee(ticket, by, by, "Diambil saat menerima tiket.", now)
    source = _set_status(ticket, to, now)
    asset_note = None
    if update_asset and ticket.asset_id and to in ("dikerjakan", "selesai"):
        asset_note = _move_asset(ticket, to, note, by, now)
    full_note = "\n".join(x for x in (note, asset_note) if x) or None
    _event(ticket, "transition", source, to, full_note, by, now)
    refresh_sla(ticket, now)
    recipients = {ticket.reporter_id, ticket.assignee_id}
    if to == "selesai":
        recipients |= set(users_covering(ticket.region_code, ("camat",)))
    _tell(
        recipients,
        ticket,
        by,
        now,
        kind="status",
        title=f"Tiket {ticket.number}: {vocab.TICKET_STATUS[source]} → {vocab.TICKET_STATUS[to]}",
        body=(note or "")
        + ("\nMohon periksa dan tutup tiket bila sudah beres." if to == "selesai" else ""),
    )
    db.session.flush()
    return ticket


def add_comment(ticket: Ticket, *, by, note: str | None, attachments=(), at=None) -> TicketEvent:
    if not can(by, "tickets.comment"):
        raise Forbidden("Peran Anda tidak dapat menambah komentar.")
    _require_handler_in_scope(ticket, by)
    errors: dict[str, list[str]] = {}
    uploads: list[files.Upload] = []
    try:
        uploads = files.validate_files(attachments)
    except ValidationFailed as e:
        errors.update(e.errors)
    note = _text(note, "note", errors, limit=MAX_TEXT, required=not uploads)
    if errors:
        raise ValidationFailed(errors=errors)
    now = at or utcnow()
    ev = None
    if note:
        ev = _event(ticket, "comment", None, None, note, by, now)
    if uploads:
        att_ev = _attach(ticket, uploads, by, now)
        ev = ev or att_ev
    ticket.updated_at = now
    _tell(
        {ticket.reporter_id, ticket.assignee_id},
        ticket,
        by,
        now,
        kind="komentar",
        title=f"Komentar baru pada tiket {ticket.number}",
        body=(note or "")[:300],
    )
    db.session.flush()
    return ev


def compose_ticket_letter(ticket: Ticket, *, by, **fields):
    """An outgoing draft about the ticket; the kadis are told it waits for a signature."""
    if by is not None:
        _require_handler_in_scope(ticket, by)
    letter = letters.compose_letter(
        by=by,
        region_code=ticket.region_code,
        direction="keluar",
        subject_type=SUBJECT,
        subject_id=ticket.id,
        **fields,
    )
    _tell(
        users_covering(ticket.region_code, ("kadis",)),
        ticket,
        by,
        None,
        kind="surat",
        title=f"Draf surat menunggu tanda tangan: {letter.perihal}",
        body=f"Tiket {ticket.number}. Kepada {letter.recipient.splitlines()[0]}.",
        url=f"/surat/{letter.id}",
    )
    return letter


def record_ticket_incoming_letter(ticket: Ticket, *, by, in_reply_to_id=None, **fields):
    _require_handler_in_scope(ticket, by)
    reply_to = None
    if in_reply_to_id not in (None, ""):
        reply_to = letter_queries.get_letter(in_reply_to_id)
        if reply_to is None or reply_to.subject_type != SUBJECT or reply_to.subject_id != ticket.id:
            raise ValidationFailed(
                errors={"in_reply_to_id": ["Surat yang dibalas tidak ditemukan pada tiket ini."]}
            )
    return letters.compose_letter(
        by=by,
        region_code=ticket.region_code,
        direction="masuk",
        subject_type=SUBJECT,
        subject_id=ticket.id,
        in_reply_to=reply_to,
        **fields,
    )


def write_ticket_letter(ticket: Ticket, *, by, direction: str, **data):
    """The API's one letter endpoint: an outgoing draft (the ticket's wording fills what was
    not sent) or a recorded incoming letter."""
    if direction != "keluar":
        return record_ticket_incoming_letter(ticket, by=by, **data)
    for key in ("number", "received_on", "in_reply_to_id", "sender"):
        if data.get(key):
            raise ValidationFailed(errors={key: ["Tidak dipakai untuk surat keluar."]})
        data.pop(key, None)
    defaults = letter_draft_defaults(ticket)
    for key in ("perihal", "body", "recipient_place", "classification", "tembusan"):
        if not data.get(key):
            data[key] = defaults[key]
    return compose_ticket_letter(ticket, by=by, **data)


def escalate_open_tickets(now: datetime | None = None) -> str:
    """SLA escalation of every open ticket (the `eskalasi_sla` job); returns its summary."""
    from assets_app.tickets.escalation import escalate

    return escalate(now).summary


def recipients_covering(region_code: str, roles) -> list[int]:
    """Active users of these roles whose scope contains the region (for other domains' notices)."""
    return users_covering(region_code, roles)
