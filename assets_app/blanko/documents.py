"""Snapshots for the pure renderers in reports/: the service reads the database, the renderer
gets frozen dataclasses and returns PDF bytes."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.auth.models import User
from assets_app.blanko import queries, stats
from assets_app.blanko.models import DEFAULT_LEAD_TIME_DAYS, BlankoRequest, location_label
from assets_app.common.errors import ValidationFailed
from assets_app.common.timeutil import utcnow
from assets_app.extensions import db
from assets_app.letters import services as letters
from assets_app.officials import services as officials
from assets_app.regions.models import Region, kabkota_of
from reports import berita_acara_pdf, blanko_request_pdf, opname_pdf
from reports._blanko_doc import Kop, Signer
from reports._format import WIB, tanggal
from reports._kop import Signatory, kop_of, signatory_of


def kop_from(data: dict) -> Kop:
    """The Kop of a stored kop snapshot, with its logo file."""
    return kop_of(data, letters.logo_file(data.get("logo")))


def kop_for(code: str) -> tuple[Kop, str]:
    """Letterhead of the kab/kota a location belongs to (its letter settings), and its town
    name for date lines."""
    data = officials.kop(code)
    kab = db.session.get(Region, kabkota_of(code))
    name = kab.name if kab else code
    place = data.get("city") or name.removeprefix("Kabupaten ").removeprefix("Kota ")
    return kop_from(data), place


def _provincial_dinas(code: str) -> str:
    """ "Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Jawa Timur": the tembusan
    names the province the kab/kota belongs to."""
    prov = db.session.get(Region, code.split(".")[0])
    name = prov.name if prov else ""
    if name.isupper():  # "JAWA TIMUR" in the Kemendagri list
        name = " ".join(w if w in ("DKI", "DI") else w.capitalize() for w in name.split())
    name = name.removeprefix("Provinsi ").strip()
    return f"Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi {name}".strip()


def _kadis_name(kab_code: str) -> str | None:
    return db.session.scalar(
        sa.select(User.name)
        .where(User.role == "kadis", User.region_code == kab_code, User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    )


def _official(code: str | None, kind: str, caption: str, above: str | None = None) -> Signer:
    """The signing official of `kind` (or "belum diatur") as a signature cell."""
    sig = signatory_of(officials.signatory(code, kind)) if code else None
    return Signer(caption, above=above, signatory=sig, official=True)


def berita_acara(by, movement_id) -> tuple[str, bytes]:
    m = queries.get_movement(by, movement_id)
    if m.approval is None or not m.approval.approved:
        raise ValidationFailed(
            "Berita acara tersedia setelah penghapusan/penyesuaian disetujui Kepala Dinas."
        )
    loc = queries.get_location(m.location_code)
    kop, place = kop_for(m.location_code)
    # issued with what was in force at approval (older approvals: today's settings)
    snap = m.approval.document or officials.snapshot(m.location_code, "berita_acara")
    kop = kop_from(snap["kop"])
    recorder = snap.get("recorder") or (m.author.name if m.author else None)
    approver = snap.get("approver") or (m.approval.author.name if m.approval.author else None)
    witnesses = tuple(snap.get("witnesses") or ())
    day = m.approval.decided_at.astimezone(WIB).date()
    signers = [Signer("Dicatat oleh", recorder)]
    signers += [Signer("Saksi", w) for w in witnesses] or [Signer("Saksi")]
    signers.append(
        Signer(
            "Disetujui oleh",
            above=f"{place}, {tanggal(day)}",
            signatory=signatory_of(snap.get("signatory")),
            official=True,
        )
    )
    doc = berita_acara_pdf.BeritaAcara(
        kop=kop,
        number=m.approval.berita_acara_no or "",
        kind=m.kind,
        place=place,
        location=loc.label if loc else m.location_code,
        location_code=m.location_code,
        movement_id=m.id,
        quantity=m.quantity,
        increase=m.from_region is None,
        occurred_at=m.occurred_at,
        decided_at=m.approval.decided_at,
        reason=m.note,
        serial_ranges=tuple((r.start_no, r.end_no) for r in m.serial_ranges),
        recorded_by=recorder,
        approved_by=approver,
        approval_note=m.approval.note,
        signers=tuple(signers),
        witnesses=witnesses,
    )
    safe = "".join(ch if ch.isalnum() else "-" for ch in doc.number).strip("-")
    return f"berita-acara-{safe or m.id}.pdf", berita_acara_pdf.render(doc)


def opname_sheet(by, region: str | None) -> tuple[str, bytes]:
    code = region or by.region_code
    if code:
        region_obj = db.session.get(Region, code)
        if region_obj is None:
            raise ValidationFailed(errors={"region": [f"Kode wilayah {code} tidak dikenal."]})
        scope_name = location_label(region_obj.level, region_obj.name)
        if region_obj.level == "kabkota":
            scope_name = region_obj.name
    else:
        scope_name = "Seluruh wilayah"
    rows = stats.location_rows(db.session.execute(stats.locations_stmt(by, code).limit(2000)).all())
    kab_code = kabkota_of(code) if code else None
    kop, place = kop_for(code) if kab_code else (Kop("PEMERINTAH DAERAH"), "")
    sheet = opname_pdf.OpnameSheet(
        kop=kop,
        scope=scope_name,
        place=place,
        printed_at=utcnow(),
        lines=tuple(
            opname_pdf.OpnameLine(r.code, r.label, r.on_hand, r.in_transit, r.reserved)
            for r in rows
        ),
        signers=(
            Signer("Petugas penghitung"),
            Signer("Penanggung jawab lokasi"),
            _official(
                kab_code, "opname", "Kepala Dinas", f"Mengetahui{', ' + place if place else ''}"
            ),
        ),
    )
    return f"stock-opname-{(code or 'semua').replace('.', '-')}.pdf", opname_pdf.render(sheet)


def request_letter(by, request_id) -> tuple[str, bytes]:
    """The request's letter: the letters module's PDF (stored once signed; a draft carries the
    DRAF mark); a request made before requests became letters keeps its own rendering."""
    from assets_app.letters import queries as letter_queries
    from assets_app.letters import services as letters

    req: BlankoRequest = queries.get_request(by, request_id)
    own = [
        lt
        for lt in letter_queries.letters_for_subject("blanko_request", req.id)
        if lt.direction == "keluar"
    ]
    if own:
        name = (own[0].number or f"draf-{own[0].id}").replace("/", "-")
        return f"permohonan-blanko-{name}.pdf", letters.letter_pdf_bytes(own[0])
    return _legacy_request_letter(req)


def _legacy_request_letter(req: BlankoRequest) -> tuple[str, bytes]:
    kab = db.session.get(Region, req.region_code)
    kop, place = kop_for(req.region_code)
    basis = req.basis or {}
    caption = f"Kepala Dinas Kependudukan dan Pencatatan Sipil {kab.name if kab else ''}".strip()
    signer = _official(req.region_code, "surat", caption)
    if signer.signatory is None and req.signatory:  # a name typed on the request
        signer = Signer(caption, signatory=Signatory(req.signatory, caption), official=True)
    letter = blanko_request_pdf.RequestLetter(
        kop=kop,
        place=place,
        region_name=kab.name if kab else req.region_code,
        letter_no=req.letter_no,
        letter_date=req.letter_date,
        recipient=req.recipient,
        quantity=req.quantity,
        usage_30_days=int(basis.get("usage_30_days", 0)),
        avg_daily=float(basis.get("avg_daily", 0)),
        stock=int(basis.get("stock", 0)),
        days_of_cover=basis.get("days_of_cover"),
        lead_time_days=int(basis.get("lead_time_days", DEFAULT_LEAD_TIME_DAYS)),
        open_requests=int(basis.get("open_requests", 0)),
        note=req.note if req.status != "cancelled" else None,
        signer=signer,
        tembusan=(
            (f"Bupati {place}" if kab and kab.kind == "kabupaten" else f"Wali Kota {place}"),
            _provincial_dinas(req.region_code),
        ),
    )
    safe = req.letter_no.replace("/", "-")
    return f"permohonan-blanko-{safe}.pdf", blanko_request_pdf.render(letter)
