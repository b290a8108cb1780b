"""Hearing packets: validate the options, build the packet from the summary, render, archive
with SHA-256, and verify files against the archive."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib.util import find_spec
from pathlib import Path

import sqlalchemy as sa
from flask import abort, current_app

from assets_app.common import vocab
from assets_app.common.errors import DomainError, NotFound, ValidationFailed
from assets_app.common.formatting import WIB, tanggal, waktu
from assets_app.common.pagination import Page, paginate
from assets_app.db import utcnow
from assets_app.extensions import db
from assets_app.hearing.models import HearingReport
from assets_app.hearing.summary import Summary, build_summary
from assets_app.regions.models import Region
from assets_app.regions.scope import in_scope, scope_clause
from reports.hearing_data import HearingPacket
from reports.hearing_pdf import render_hearing_pdf
from reports.hearing_text import TITLE
from reports.hearing_xlsx import render_hearing_xlsx

SCOPE_LEVELS = ("provinsi", "kabkota", "kecamatan")
MAX_PERIOD_DAYS = 5 * 366
DEFAULT_PERIOD_DAYS = 30
ARCHIVE_DIR = "reports/hearing"
KOP_DINAS = "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
# Downtime the assets domain could not attribute is "belum_ditentukan".
PARTY_LABELS = {**vocab.RESPONSIBLE_PARTY, "belum_ditentukan": "Belum ditentukan"}


def today_wib() -> date:
    return datetime.now(WIB).date()


def default_period(today: date | None = None) -> tuple[date, date]:
    today = today or today_wib()
    return today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


def _parse_date(value, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(errors={field: [f"Tanggal {label} wajib diisi."]})
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            errors={field: [f"Tanggal {label} tidak valid: {text!r} (format YYYY-MM-DD)."]}
        ) from None


def parse_period(start, end, *, fields: tuple[str, str] = ("from", "to")) -> tuple[date, date]:
    """Validates a period typed by a user; both ends inclusive."""
    errors: dict[str, list[str]] = {}
    parsed = []
    for value, field, label in ((start, fields[0], "mulai"), (end, fields[1], "selesai")):
        try:
            parsed.append(_parse_date(value, field, label))
        except ValidationFailed as e:
            errors.update(e.errors)
    if errors:
        raise ValidationFailed(errors=errors)
    first, last = parsed
    if first > last:
        raise ValidationFailed(
            errors={fields[1]: ["Tanggal selesai tidak boleh sebelum tanggal mulai."]}
        )
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationFailed(errors={fields[1]: ["Periode paling panjang 5 tahun."]})
    return first, last


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
    return build_summary(user, region.code if region else None, start, end, **kw)


# --- packet -----------------------------------------------------------------------------


def kop_lines(region: Region | None) -> tuple[str, ...]:
    """Letterhead: the kab/kota's letter settings (government, Dinas, address, contacts)
    when the area lies in one, else the province or a generic heading."""
    kab = None
    if region is not None and region.level != "provinsi":
        kab = ".".join(region.code.split(".")[:2])
    if kab is not None and find_spec("assets_app.letters") is not None:
        from assets_app.letters.services import get_settings

        kop = get_settings(kab).kop()
        lines = [kop["pemerintah"], kop["dinas"], kop["address"], kop["contact"]]
    elif kab is not None:
        gov = db.session.get(Region, kab)
        lines = [f"PEMERINTAH {gov.name.upper()}", KOP_DINAS]
        lines.append(current_app.config.get("HEARING_KOP_ADDRESS") or "")
    else:
        name = f"PROVINSI {region.name.upper()}" if region is not None else "DAERAH"
        lines = [f"PEMERINTAH {name}", KOP_DINAS]
        lines.append(current_app.config.get("HEARING_KOP_ADDRESS") or "")
    return tuple(line for line in lines if line)


def build_packet(
    summary: Summary,
    region: Region | None,
    *,
    token: str,
    verify_url: str,
    generated_at: datetime,
    author: str,
) -> HearingPacket:
    s = summary.sections
    return HearingPacket(
        title=TITLE,
        kop=kop_lines(region),
        region_code=summary.region_code or "-",
        scope_name=summary.scope_name,
        period_start=summary.start,
        period_end=summary.end,
        as_of=summary.today,
        generated_at=generated_at,
        author=author,
        token=token,
        verify_url=verify_url,
        rows=summary.rows,
        total=summary.total,
        available=summary.available,
        purchases=s.get("purchases", ()),
        idle_assets=s.get("idle_assets", ()),
        overdue_tickets=s.get("overdue_tickets", ()),
        training_gaps=s.get("training_gaps", ()),
        party_labels=tuple(PARTY_LABELS.items()),
        cause_labels=tuple(vocab.STATUS_CAUSE.items()),
    )


def verify_url_for(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/verifikasi/{token}"


def file_stem(region_code: str, start: date, end: date) -> str:
    return f"laporan-rdp-{region_code}-{start:%Y%m%d}-{end:%Y%m%d}"


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


def generate_packet(
    user,
    region_code: str,
    start,
    end,
    *,
    base_url: str,
    today: date | None = None,
    now: datetime | None = None,
) -> Generated:
    """Builds, renders and archives a packet; the caller commits (or calls discard_files).

    `user` is the author and scope (None: a command-line run over the whole installation).
    """
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
        start, end = parse_period(start, end)
    except DomainError as e:
        errors.update(e.errors)
    if errors or region is None:
        raise ValidationFailed(errors=errors)
    today = today or today_wib()
    now = now or utcnow()
    token = secrets.token_urlsafe(16)
    url = verify_url_for(base_url, token)
    author = user.name if user is not None else "Sistem (perintah flask)"
    summary = summary_for(user, region, start, end, today=today, sections=True)
    packet = build_packet(
        summary, region, token=token, verify_url=url, generated_at=now, author=author
    )
    pdf = render_hearing_pdf(packet)
    xlsx = render_hearing_xlsx(packet)
    stem = file_stem(region.code, start, end)
    folder = f"{ARCHIVE_DIR}/{now:%Y}/{token}"
    report = HearingReport(
        token=token,
        region_code=region.code,
        scope_name=summary.scope_name,
        period_start=start,
        period_end=end,
        as_of=today,
        options={
            "region": region.code,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "as_of": today.isoformat(),
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
    root = archive_root()
    _write(root / report.pdf_path, pdf)
    try:
        _write(root / report.xlsx_path, xlsx)
        db.session.add(report)
        db.session.flush()
    except BaseException:
        discard_files(report)
        raise
    return Generated(report, pdf, xlsx)


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


# --- archive and verification ---------------------------------------------------------------


def list_reports(user, page: int, per_page: int) -> Page:
    stmt = (
        sa.select(HearingReport)
        .where(scope_clause(HearingReport.region_code, user))
        .order_by(HearingReport.created_at.desc(), HearingReport.id.desc())
    )
    return paginate(stmt, page, per_page)


def get_report_or_404(report_id: int, user) -> HearingReport:
    report = db.session.get(HearingReport, report_id)
    if report is None or not in_scope(user, report.region_code):
        abort(404)
    return report


def get_by_token(token: str) -> HearingReport | None:
    if not token or len(token) > 40:
        return None
    return db.session.scalar(sa.select(HearingReport).where(HearingReport.token == token))


def find_by_hash(digest: str) -> tuple[HearingReport, str] | None:
    """The archived packet one of whose files has this SHA-256, and which file."""
    report = db.session.scalar(
        sa.select(HearingReport)
        .where(sa.or_(HearingReport.pdf_sha256 == digest, HearingReport.xlsx_sha256 == digest))
        .order_by(HearingReport.id)
        .limit(1)
    )
    if report is None:
        return None
    return report, ("pdf" if report.pdf_sha256 == digest else "xlsx")


def match_kind(report: HearingReport, digest: str) -> str | None:
    if digest == report.pdf_sha256:
        return "pdf"
    if digest == report.xlsx_sha256:
        return "xlsx"
    return None


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
