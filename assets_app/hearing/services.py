"""Hearing packets: check the options, build the packet from the summary, render, archive
with SHA-256 (files kept only when the request's transaction commits). Reading the archive
is `hearing.queries`; the packet's content `hearing.packet`; the period `hearing.period`."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from assets_app.common.errors import DomainError, Forbidden, NotFound, ValidationFailed
from assets_app.common.formatting import tanggal, waktu
from assets_app.common.timeutil import WIB, today_wib, utcnow
from assets_app.extensions import db
from assets_app.hearing import snapshot
from assets_app.hearing.models import HearingReport
from assets_app.hearing.packet import build_packet, file_stem, verify_url_for
from assets_app.hearing.period import check_period
from assets_app.hearing.summary import Summary, build_summary
from assets_app.regions.models import Region, kabkota_of
from assets_app.regions.scope import in_scope
from reports.hearing_pdf import render_hearing_pdf
from reports.hearing_xlsx import render_hearing_xlsx

SCOPE_LEVELS = ("provinsi", "kabkota", "kecamatan")
ARCHIVE_DIR = "reports/hearing"
_PENDING = "hearing_pending_files"  # Session.info key: packets written, not yet committed


def resolve_region(user, code: str | None, field: str = "region") -> Region | None:
    """The area of a summary or packet: a province, kab/kota or kecamatan in the user's scope.

    No code means the user's own scope (None = the whole installation for such an admin).
    """
    code = (code or "").strip() or getattr(user, "region_code", None)
    if code is None:
        return None
    region = db.session.get(Region, code)
    if region is None or not in_scope(user, region.code):
        raise NotFound(errors={field: [f"Wilayah {code} tidak dikenal atau di luar cakupan Anda."]})
    if region.level not in SCOPE_LEVELS:
        raise ValidationFailed(
            errors={field: [f"Wilayah {code} harus provinsi, kabupaten/kota, atau kecamatan."]}
        )
    return region


def summary_for(user, region: Region | None, start: date, end: date, **kw) -> Summary:
    """The summary of an area; a whole-installation page of the default period reads the
    snapshot the `ringkasan_instalasi` job stored, when there is a fresh one (see
    hearing.snapshot). A packet (`sections`) or a chosen moment (`now`) is always live."""
    if not kw.get("sections") and kw.get("now") is None:
        stored = snapshot.stored_summary(user, region, start, end, kw.get("by", "kecamatan"))
        if stored is not None:
            return stored
    return build_summary(user, region.code if region else None, start, end, **kw)


def refresh_installation_summary(now: datetime | None = None) -> str:
    """The `ringkasan_instalasi` job: stores the whole installation's summary (see
    hearing.snapshot) and says what it did."""
    return snapshot.refresh(now)


# --- packet -----------------------------------------------------------------------------

CLI_AUTHOR = "operator server (perintah flask)"
CLI_AUTHOR_LINE = "disusun dengan perintah flask oleh operator server"


def _dinas_of(code: str | None) -> str:
    """ "Dinas Kependudukan dan Pencatatan Sipil Kabupaten X" of the kab/kota holding `code`."""
    from assets_app.letters.services import get_settings, office_name

    kab = kabkota_of(code) if code else None
    if kab is None:
        region = db.session.get(Region, code) if code else None
        where = f" {_area_name(region)}" if region is not None else ""
        return f"Dinas Kependudukan dan Pencatatan Sipil{where}"
    return office_name(get_settings(kab))


def _area_name(region: Region) -> str:
    return f"Provinsi {region.name}" if region.level == "provinsi" else region.name


def _unit_of(user) -> str:
    code = user.region_code
    if code is None:
        return "seluruh instalasi"
    region = db.session.get(Region, code)
    if user.role == "camat" and region is not None:
        return f"Kecamatan {region.name}"
    if region is not None and region.level == "provinsi":
        return f"Provinsi {region.name}"
    return _dinas_of(code)


def authorship(user, region: Region | None) -> tuple[str, str]:
    """(label, text) of the cover's author line: who compiled the packet (person, role, unit);
    a DPRD account's packet says it was made by the DPRD from the Dinas's data."""
    if user is None:
        return "Disusun oleh", CLI_AUTHOR_LINE
    if user.role == "dprd":
        kab = kabkota_of(user.region_code or (region.code if region else "")) or ""
        where = db.session.get(Region, kab) if kab else None
        if where is None and region is not None and region.level == "provinsi":
            where = region  # a province's DPRD
        dprd = f"Komisi I DPRD {_area_name(where)}" if where is not None else "Komisi I DPRD"
        data_of = _dinas_of(region.code if region is not None else kab)
        return "Dibuat oleh", f"{dprd} ({user.name}) dari data {data_of}"
    return "Disusun oleh", f"{user.name}, {user.role_label}, {_unit_of(user)}"


def user_by_username(username: str):
    """The active user `--by USERNAME` names (a CLI run), else ValidationFailed."""
    from assets_app.auth.models import User

    user = db.session.scalar(sa.select(User).where(User.username == (username or "").strip()))
    if user is None or not user.active:
        raise ValidationFailed(errors={"by": [f"Pengguna {username} tidak dikenal atau nonaktif."]})
    return user


@dataclass(frozen=True)
class Generated:
    report: HearingReport
    pdf: bytes
    xlsx: bytes


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def archive_root() -> Path:
    return Path(current_app.instance_path)


def _checked_options(user, region_code: str | None, start, end) -> Region:
    """The packet's area and period, every problem at once (keys region/from/to)."""
    errors: dict[str, list[str]] = {}
    region = None
    if not (region_code or "").strip():
        errors["region"] = ["Wilayah wajib diisi."]
    else:
        try:
            region = resolve_region(user, region_code)
        except DomainError as e:
            errors.update(e.errors)
    try:
        check_period(start, end)
    except DomainError as e:
        errors.update(e.errors)
    if errors or region is None:
        raise ValidationFailed(errors=errors)
    return region


def _new_report(user, summary: Summary, *, token, url, author, now, pdf, xlsx) -> HearingReport:
    code, start, end = summary.region_code, summary.start, summary.end
    as_of = summary.as_of
    stem = file_stem(code, start, end)
    folder = f"{ARCHIVE_DIR}/{now:%Y}/{token}"
    return HearingReport(
        token=token,
        region_code=code,
        scope_name=summary.scope_name,
        period_start=start,
        period_end=end,
        as_of=as_of.astimezone(WIB).date(),
        options={
            "region": code,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "as_of": as_of.isoformat(),
            "verify_url": url,
            "available": sorted(summary.available),
        },
        author_id=getattr(user, "id", None),
        author_name=author,
        created_at=now,
        pdf_path=f"{folder}/{stem}.pdf",
        pdf_sha256=sha256(pdf),
        pdf_size=len(pdf),
        xlsx_path=f"{folder}/{stem}.xlsx",
        xlsx_sha256=sha256(xlsx),
        xlsx_size=len(xlsx),
    )


def generate_packet(
    user,
    region_code: str | None,
    start: date | None,
    end: date | None,
    *,
    base_url: str,
    today: date | None = None,
    now: datetime | None = None,
) -> Generated:
    """Builds, renders and archives a packet. Its files are removed again if the transaction
    rolls back (see `_archive`).

    `user` is the author and scope (None: a command-line run over the whole installation).
    """
    region = _checked_options(user, region_code, start, end)
    today = today or today_wib()
    now = now or utcnow()
    token = secrets.token_urlsafe(16)
    url = verify_url_for(base_url, token)
    label, author = authorship(user, region)
    # a province packet: one row per kab/kota (its lists cut, see packet.PROVINCE_LIST_LIMIT)
    by = "kabkota" if region.level == "provinsi" else "kecamatan"
    summary = summary_for(user, region, start, end, today=today, sections=True, now=now, by=by)
    packet = build_packet(
        summary,
        region,
        token=token,
        verify_url=url,
        generated_at=now,
        author=author,
        author_label=label,
    )
    pdf, xlsx = render_hearing_pdf(packet), render_hearing_xlsx(packet)
    report = _new_report(
        user, summary, token=token, url=url, author=author, now=now, pdf=pdf, xlsx=xlsx
    )
    report.options = {**report.options, "author_label": label, "prepared_by": author}
    report.author_name = (user.name if user is not None else CLI_AUTHOR)[:120]
    _archive(report, pdf, xlsx)
    return Generated(report, pdf, xlsx)


def _archive(report: HearingReport, pdf: bytes, xlsx: bytes) -> None:
    """Writes both files and adds the row; the files go again when the session rolls back
    before committing (a refused request, an error, a failed commit)."""
    root = archive_root()
    _write(root / report.pdf_path, pdf)
    try:
        _write(root / report.xlsx_path, xlsx)
        db.session.add(report)
        db.session.flush()
    except BaseException:
        discard_files(report)
        raise
    db.session.info.setdefault(_PENDING, []).append(report)


@sa.event.listens_for(Session, "after_commit")
def _keep_files(session) -> None:
    session.info.pop(_PENDING, None)


@sa.event.listens_for(Session, "after_soft_rollback")
def _drop_files(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        for report in session.info.pop(_PENDING, ()):
            discard_files(report)


def discard_files(report: HearingReport) -> None:
    """Removes a packet's files when its transaction did not commit."""
    root = archive_root()
    for rel in (report.pdf_path, report.xlsx_path):
        path = root / rel
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()


def file_path(report: HearingReport, kind: str) -> Path:
    return archive_root() / report.path(kind)


def sha256_stream(stream, chunk: int = 1 << 16) -> str:
    h = hashlib.sha256()
    while True:
        block = stream.read(chunk)
        if not block:
            break
        h.update(block)
    return h.hexdigest()


def describe(report: HearingReport, kind: str | None = None) -> str:
    """One Indonesian sentence naming a packet (for the CLI and the verification page)."""
    what = f"berkas {kind.upper()} " if kind else ""
    return (
        f"{what}paket laporan RDP #{report.id} — {report.scope_name} ({report.region_code}), "
        f"periode {tanggal(report.period_start)} s.d. {tanggal(report.period_end)}, dibuat "
        f"{waktu(report.created_at)} oleh {report.author_name}"
    )


# --- approval (four eyes) ------------------------------------------------------------------


def approve_packet(by, report_id: int, *, at: datetime | None = None):
    """The kadis checks and approves an archived packet: draf → disetujui. Never the person
    who prepared it (four eyes); once only (the approval row is append-only)."""
    from assets_app.common.permissions import can
    from assets_app.hearing import queries
    from assets_app.hearing.models import HearingApproval

    if not can(by, "reports.approve"):
        raise Forbidden("Hanya kepala dinas yang dapat menyetujui paket RDP.")
    report = queries.get_report(report_id, by)
    if report.author_id is not None and report.author_id == by.id:
        raise Forbidden(
            "Paket harus diperiksa dan disetujui pejabat lain, bukan penyusunnya sendiri."
        )
    if queries.approval_of(report) is not None:
        raise ValidationFailed("Paket ini sudah disetujui.")
    approval = HearingApproval(
        report_id=report.id,
        approved_by_id=by.id,
        approved_by_name=by.name[:120],
        approved_by_role=f"{by.role_label}, {_unit_of(by)}"[:200],
        approved_at=at or utcnow(),
    )
    db.session.add(approval)
    db.session.flush()
    return approval
