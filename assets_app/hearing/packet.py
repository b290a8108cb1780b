"""The hearing packet's content: letterhead and the packet data built from the summary."""

from __future__ import annotations

from datetime import date, datetime
from importlib.util import find_spec

from flask import current_app

from assets_app.common import vocab
from assets_app.extensions import db
from assets_app.hearing.figures import packet_definitions
from assets_app.hearing.summary import Summary
from assets_app.regions.models import Region, kabkota_of
from reports.hearing_data import HearingPacket
from reports.hearing_text import TITLE

KOP_DINAS = "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
# Downtime the assets domain could not attribute is "belum_ditentukan".
PARTY_LABELS = {**vocab.RESPONSIBLE_PARTY, "belum_ditentukan": "Belum ditentukan"}


def kop_lines(region: Region | None) -> tuple[str, ...]:
    """Letterhead: the kab/kota's letter settings (government, Dinas, address, contacts)
    when the area lies in one, else the province or a generic heading."""
    kab = kabkota_of(region.code) if region is not None else None
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
    author_label: str = "Disusun oleh",
) -> HearingPacket:
    s = summary.sections
    return HearingPacket(
        title=TITLE,
        kop=kop_lines(region),
        region_code=summary.region_code or "-",
        scope_name=summary.scope_name,
        period_start=summary.start,
        period_end=summary.end,
        as_of=summary.as_of or summary.today,
        generated_at=generated_at,
        author=author,
        author_label=author_label,
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
        definitions=packet_definitions(),
        **_approver(region),
    )


def _approver(region: Region | None) -> dict:
    """The official who approves packets of the area's kab/kota (`rdp`), and its logo."""
    from assets_app.letters import services as letters
    from assets_app.officials import services as officials
    from reports._kop import signatory_of

    code = officials.kabkota_or_none(region.code) if region is not None else None
    if code is None:
        return {}
    kab = db.session.get(Region, code)
    return {
        "kop_logo": letters.logo_file(officials.kop(code).get("logo")),
        "approver": signatory_of(officials.signatory(code, "rdp")),
        "approver_caption": f"Kepala Dinas Kependudukan dan Pencatatan Sipil {kab.name}",
    }


def verify_url_for(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/verifikasi/{token}"


def file_stem(region_code: str, start: date, end: date) -> str:
    return f"laporan-rdp-{region_code}-{start:%Y%m%d}-{end:%Y%m%d}"
