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
from reports.hearing_data import METRIC_KEYS, AreaCount, HearingPacket, KecamatanRow, ListCut
from reports.hearing_text import TITLE

KOP_DINAS = "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
# A province packet lists at most this many items of each list (idle equipment, overdue
# tickets, training gaps), most pressing first, beside the count per kab/kota: the lists of
# a whole province run to thousands of lines a hearing cannot read.
PROVINCE_LIST_LIMIT = 50
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
    rows, unit, lists, cuts = summary.rows, "kecamatan", dict(s), {}
    if summary.by == "kabkota":
        rows = tuple(
            KecamatanRow(r.region_code, r.name, r.level, r.figures, r.kecamatan_count)
            for r in summary.kabkota
        )
        unit = "kabkota"
        lists, cuts = _cut_lists(s, rows)
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
        rows=rows,
        total=summary.total,
        available=summary.available,
        purchases=lists.get("purchases", ()),
        idle_assets=lists.get("idle_assets", ()),
        overdue_tickets=lists.get("overdue_tickets", ()),
        training_gaps=lists.get("training_gaps", ()),
        unit=unit,
        cuts=cuts,
        party_labels=tuple(PARTY_LABELS.items()),
        cause_labels=tuple(vocab.STATUS_CAUSE.items()),
        definitions=packet_definitions(_DEFINED_BY_KABKOTA if unit == "kabkota" else None),
        **_approver(region),
    )


# The order a cut list keeps (most pressing first) and the value it sums, per section key.
_CUT_ORDER = {
    "idle_assets": (lambda a: (-a.unit_price, a.region_code, a.kode_barang), "unit_price"),
    "overdue_tickets": (lambda t: (-t.days_waiting, t.region_code, t.number), None),
    "training_gaps": (lambda g: (-g.assets_value, g.region_code, g.category), "assets_value"),
}


_DEFINED_BY_KABKOTA = {*METRIC_KEYS, "as_of", "kecamatan_count", "kabkota_count"}


def _cut_lists(sections, rows) -> tuple[dict, dict[str, ListCut]]:
    """The province packet's lists: each cut to PROVINCE_LIST_LIMIT items, most pressing
    first, with the full count (and value) per kab/kota. In memory: the lists are already
    read (bounded queries), and the kab/kota names are the rows'."""
    from reports.hearing_text import main_reasons

    names = {r.region_code: r.name for r in rows}
    lists = dict(sections)
    cuts: dict[str, ListCut] = {}
    for key, (order, value_of) in _CUT_ORDER.items():
        items = sorted(sections.get(key, ()), key=order)
        per: dict[str, list[int]] = {}
        for item in items:
            area = kabkota_of(item.region_code) or item.region_code
            bucket = per.setdefault(area, [0, 0])
            bucket[0] += 1
            bucket[1] += getattr(item, value_of) if value_of else 0
        by_area = tuple(
            AreaCount(code, names.get(code, code), n, v if value_of else None)
            for code, (n, v) in sorted(per.items())
        )
        total_value = sum(getattr(i, value_of) for i in items) if value_of else None
        reasons = tuple(main_reasons(items)) if key == "idle_assets" else ()
        cuts[key] = ListCut(len(items), total_value, by_area, reasons)
        lists[key] = tuple(items[:PROVINCE_LIST_LIMIT])
    return lists, cuts


def _approver(region: Region | None) -> dict:
    """The official who approves packets of the area's kab/kota (`rdp`), and its logo; for a
    province, its Kepala Dinas (an official set for the province code, if any)."""
    from assets_app.letters import services as letters
    from assets_app.officials import services as officials
    from reports._kop import signatory_of

    code = officials.kabkota_or_none(region.code) if region is not None else None
    if code is None:
        return _province_approver(region)
    kab = db.session.get(Region, code)
    return {
        "kop_logo": letters.logo_file(officials.kop(code).get("logo")),
        "approver": signatory_of(officials.signatory(code, "rdp")),
        "approver_caption": f"Kepala Dinas Kependudukan dan Pencatatan Sipil {kab.name}",
    }


def _province_approver(region: Region | None) -> dict:
    """Officials are set per kab/kota, so a province has none unless one is stored under its
    code: then it signs; else the block names who must sign (the province's Kepala Dinas)."""
    from assets_app.officials import services as officials
    from reports._kop import signatory_of

    if region is None:
        return {"approver_caption": "Kepala Dinas Kependudukan dan Pencatatan Sipil"}
    stored = officials.signatory(region.code, "rdp")
    approver = signatory_of(stored) if stored is not None else None
    return {
        "approver": approver,
        "approver_caption": f"Kepala Dinas Kependudukan dan Pencatatan Sipil {_area(region)}",
    }


def _area(region: Region) -> str:
    return f"Provinsi {region.name}" if region.level == "provinsi" else region.name


def verify_url_for(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/verifikasi/{token}"


def file_stem(region_code: str, start: date, end: date) -> str:
    return f"laporan-rdp-{region_code}-{start:%Y%m%d}-{end:%Y%m%d}"
