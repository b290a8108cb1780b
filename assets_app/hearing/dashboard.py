"""The home-page dashboard and the summary page: cards and server-side SVG charts built from
the summary, each figure a link to the list behind it."""

from __future__ import annotations

import base64
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, url_for

from assets_app.common import vocab
from assets_app.common.errors import NotFound, ValidationFailed
from assets_app.common.formatting import number, percent, rupiah
from assets_app.common.pagination import Page, page_args, page_of
from assets_app.common.permissions import can
from assets_app.common.timeutil import today_wib
from assets_app.hearing import figures, services
from assets_app.hearing.period import default_period, parse_period
from assets_app.hearing.providers import DRILL_TARGETS
from assets_app.hearing.summary import Summary
from assets_app.regions.services import region_choices
from reports.charts_rl import hbar_chart, to_svg
from reports.hearing_text import jam, runs_to_now

# --- drill-down targets ------------------------------------------------------------------
# metric → endpoints to try, in order, with a function (region_code) -> url args (None: that
# target does not fit the region). The first endpoint the app has wins; the fallback is the
# summary page focused on that figure. The targets are the providers' (see providers/).
DRILL: dict[str, list[tuple[str, Callable[[str | None], dict | None]]]] = {}
for _metric, _endpoint, _args in DRILL_TARGETS:
    DRILL.setdefault(_metric, []).append((_endpoint, _args))

FOCUS = {
    "can_record_today": "tidak_rekam",
    "idle_count": "menganggur",
    "idle_value": "menganggur",
    "overdue_tickets": "tiket_terlambat",
    "open_tickets": "tiket",
    "training_gaps": "kesenjangan",
    "downtime_hours": "henti",
}


def drill_url(metric: str, region_code: str | None, start=None, end=None) -> str:
    for endpoint, make_args in DRILL.get(metric, []):
        args = make_args(region_code)
        if args is not None and endpoint in current_app.view_functions:
            return url_for(endpoint, **args)
    args = {"region": region_code, "dari": start, "sampai": end, "tampil": FOCUS.get(metric)}
    return url_for("hearing.summary", **{k: v for k, v in args.items() if v}) + f"#{metric}"


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    value: str
    note: str
    url: str
    available: bool
    definition: str = ""  # the catalogue's tooltip (hearing.figures)


def _blanko_note(t) -> str:
    if t.days_of_cover is None:
        return "laju pemakaian belum ada"
    return f"cukup ± {number(t.days_of_cover, 1)} hari"


def _coverage_note(t) -> str:
    if not t.wajib_ktp:
        return "belum ada data cakupan"
    return f"{number(t.sudah_rekam)} dari {number(t.wajib_ktp)} wajib KTP-el"


def _oldest(t) -> str:
    return f"{number(t.oldest_ticket_days)} hari" if t.oldest_ticket_days is not None else "–"


def _letters_note(t) -> str:
    """The Dinas's own outgoing letters only; incoming letters are "diterima"."""
    return (
        f"{number(t.letters_sent)} surat keluar dikirim Dinas, "
        f"{number(t.letters_unanswered)} belum dibalas, "
        f"{number(t.letters_received)} surat masuk diterima"
    )


# (figure, label, value of the total, note, section), in the order the cards are shown; the
# functions take the total and the number of kecamatan.
CARDS = (
    ("assets_value", "Nilai peralatan", lambda t, n: rupiah(t.assets_value),
     lambda t, n: f"{number(t.assets_count)} unit", "assets"),
    ("operational_pct", "Peralatan operasional", lambda t, n: percent(t.operational_pct),
     lambda t, n: f"{number(t.operational_count)} dari {number(t.assets_count)} unit", "assets"),
    ("can_record_today", "Kecamatan dapat merekam hari ini",
     lambda t, n: f"{number(t.can_record_today or 0)} / {number(n)}",
     lambda t, n: "punya alat perekaman operasional", "assets"),
    ("idle_value", "Nilai peralatan menganggur", lambda t, n: rupiah(t.idle_value),
     lambda t, n: f"{number(t.idle_count)} unit" + (
         f"; {number(t.unreported_count)} unit lain tanpa laporan pemakaian "
         f"({rupiah(t.unreported_value)})" if t.unreported_count else ""), "assets"),
    ("downtime_hours", "Waktu henti peralatan", lambda t, n: f"{jam(t.downtime_hours)} jam",
     lambda t, n: "selama periode", "downtime"),
    ("turned_away", "Warga ditolak", lambda t, n: number(t.turned_away),
     lambda t, n: f"{number(t.recorded)} perekaman selama periode", "usage"),
    ("overdue_tickets", "Tiket melewati batas waktu", lambda t, n: number(t.overdue_tickets),
     lambda t, n: f"dari {number(t.open_tickets)} tiket terbuka", "tickets"),
    ("oldest_ticket_days", "Tiket terbuka tertua", lambda t, n: _oldest(t),
     lambda t, n: _letters_note(t), "tickets"),
    ("training_gaps", "Kesenjangan operator terlatih", lambda t, n: number(t.training_gaps),
     lambda t, n: f"{number(t.trained_operators)} operator bersertifikat", "training"),
    ("blanko_balance", "Saldo blanko KTP-el", lambda t, n: number(t.blanko_balance),
     lambda t, n: _blanko_note(t), "blanko"),
    ("coverage_pct", "Cakupan perekaman KTP-el", lambda t, n: percent(t.coverage_pct),
     lambda t, n: _coverage_note(t), "coverage"),
)  # fmt: skip


# Point-in-time figures: their card's note says the moment (the summary's as_of).
AS_OF_CARDS = frozenset({"overdue_tickets", "oldest_ticket_days", "blanko_balance"})


def _as_of_note(summary: Summary, key: str, note: str) -> str:
    if key in AS_OF_CARDS:
        return f"{note} · per {summary.as_of_label}"
    if key == "downtime_hours" and summary.as_of and runs_to_now(summary.as_of):
        return f"{note}, per {summary.as_of_label}"  # open downtime runs to that instant
    return note


def cards(summary: Summary) -> list[Card]:
    t, n = summary.total, summary.kecamatan_count
    s, e = summary.start.isoformat(), summary.end.isoformat()
    return [
        Card(
            key,
            label,
            value(t, n),
            _as_of_note(summary, key, note(t, n)),
            drill_url(key, summary.region_code, s, e),
            section in summary.available,
            figures.tooltip(key),
        )
        for key, label, value, note, section in CARDS
    ]


def _svg_uri(drawing) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(to_svg(drawing).encode()).decode()


# The home page draws each chart twice: wide for a desktop card, narrow for a phone (a 390 px
# screen shows it about 330 px wide, so its labels stay ≥ 11 px); the page shows one of them.
WIDE = {"width": 520, "font_size": 9.5, "bar_height": 16}
NARROW = {"width": 320, "font_size": 11.5, "bar_height": 18}


# Drawn charts by what they show: the same figures draw the same SVG, and drawing four of
# them was a fifth of the home page's time. Small and bounded (a chart is a few KB).
_DRAWN: OrderedDict[tuple, tuple[str, str]] = OrderedDict()
_DRAWN_MAX = 128
_DRAWN_LOCK = threading.Lock()


def _drawings(items, label_width: int, narrow_label_width: int, **kwargs) -> tuple[str, str]:
    shown = kwargs.get("value_format", str)
    # the key holds the value texts, so two formats of the same numbers never share a chart
    key = (
        tuple((label, value, shown(value)) for label, value in items),
        label_width,
        narrow_label_width,
        tuple(sorted((k, repr(v)) for k, v in kwargs.items() if k != "value_format")),
    )
    with _DRAWN_LOCK:
        if key in _DRAWN:
            _DRAWN.move_to_end(key)
            return _DRAWN[key]
    wide = hbar_chart(items, label_width=label_width, **WIDE, **kwargs)
    narrow = hbar_chart(items, label_width=narrow_label_width, **NARROW, **kwargs)
    drawn = (_svg_uri(wide), _svg_uri(narrow))
    with _DRAWN_LOCK:
        _DRAWN[key] = drawn
        while len(_DRAWN) > _DRAWN_MAX:
            _DRAWN.popitem(last=False)
    return drawn


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    image: str  # data: URI of the SVG (wide)
    items: list  # (label, value text, url)
    definition: str = ""  # the catalogue's tooltip of the charted figure
    image_narrow: str = ""  # the phone drawing (NARROW)
    font_sizes: tuple = (WIDE["font_size"], NARROW["font_size"])


def charts(summary: Summary) -> list[Chart]:
    t = summary.total
    out = []
    s, e = summary.start.isoformat(), summary.end.isoformat()
    parties = sorted(t.downtime_by_party.items(), key=lambda kv: (-kv[1], kv[0]))
    if "downtime" in summary.available:
        labelled = [(vocab.label(vocab.RESPONSIBLE_PARTY, k), v) for k, v in parties]
        wide, narrow = _drawings(labelled, 130, 112, value_format=lambda v: f"{jam(v)} jam")
        url = drill_url("downtime_hours", summary.region_code, s, e)
        out.append(
            Chart(
                "downtime_by_party",
                "Waktu henti menurut pihak penanggung jawab",
                wide,
                [(label, f"{jam(v)} jam", url) for label, v in labelled],
                figures.tooltip("downtime_by_party"),
                narrow,
            )
        )
    per_kab = summary.by == "kabkota"
    idle = sorted(
        (r for r in (summary.kabkota if per_kab else summary.rows) if r.figures.idle_value),
        key=lambda r: (-r.figures.idle_value, r.region_code),
    )[:8]
    if "assets" in summary.available:
        wide, narrow = _drawings(
            [(r.name, r.figures.idle_value) for r in idle],
            150,
            100,
            value_format=rupiah,
            color="#c0392b",
            empty_text="Tidak ada peralatan menganggur",
        )
        out.append(
            Chart(
                "idle_by_kecamatan",
                "Nilai peralatan menganggur per "
                + ("kabupaten/kota" if per_kab else "kecamatan")
                + " (terbesar)",
                wide,
                [
                    (r.name, rupiah(r.figures.idle_value), drill_url("idle_value", r.region_code))
                    for r in idle
                ],
                figures.tooltip("idle_value"),
                narrow,
            )
        )
    return out


def home_dashboard(user) -> dict | None:
    if not can(user, "reports.view"):
        return None
    region = services.resolve_region(user, None)
    start, end = default_period()
    by = "kabkota" if wide_area(user, region) else "kecamatan"
    summary = services.summary_for(user, region, start, end, today=end, by=by)
    return {"summary": summary, "cards": cards(summary), "charts": charts(summary)}


# --- the summary page ---------------------------------------------------------------------

# The figures the summary page shows (cards, table columns, charts): their definitions are
# the page's footnotes, in this order.
PAGE_FIGURES = (
    "as_of",
    *(key for key, *_ in CARDS),
    "assets_count",
    "idle_count",
    "recorded",
    "open_tickets",
    "trained_operators",
    "letters_sent",
    "letters_received",
    "letters_unanswered",
    "downtime_by_party",
)

FOCUS_FILTERS = {
    "tidak_rekam": lambda f: f.can_record_today is False,
    "menganggur": lambda f: f.idle_count > 0,
    "tiket": lambda f: f.open_tickets > 0,
    "tiket_terlambat": lambda f: f.overdue_tickets > 0,
    "kesenjangan": lambda f: f.training_gaps > 0,
    "henti": lambda f: f.downtime_hours > 0,
}
FOCUS_LABELS = {
    "tidak_rekam": "kecamatan yang tidak dapat merekam hari ini",
    "menganggur": "kecamatan dengan peralatan menganggur",
    "tiket": "kecamatan dengan tiket terbuka",
    "tiket_terlambat": "kecamatan dengan tiket melewati batas waktu",
    "kesenjangan": "kecamatan dengan kesenjangan pelatihan",
    "henti": "kecamatan dengan waktu henti",
}


def area_choices(user, levels, selected: str) -> list[tuple[str, str]]:
    """The area select of a report page: "Seluruh instalasi" first for a user whose scope is
    the whole installation (else submitting the form would narrow the page to the first
    province), then the regions of `levels` in scope."""
    whole = [("", "Seluruh instalasi")] if user.region_code is None else []
    return whole + region_choices(user, levels, selected)


def _page_options(user, args) -> tuple:
    """Area and period from the query string; a wrong value is reported and the default
    used instead (an area outside the scope is a 404)."""
    default_start, default_end = default_period()
    raw_start = args.get("dari") or default_start.isoformat()
    raw_end = args.get("sampai") or default_end.isoformat()
    errors: dict = {}
    try:
        region = services.resolve_region(user, args.get("region"))
    except NotFound:
        raise NotFound() from None  # the plain 404 page, as for any page outside the scope
    except ValidationFailed as e:
        errors.update(e.errors)
        region = services.resolve_region(user, None)
    try:
        start, end = parse_period(raw_start, raw_end, fields=("dari", "sampai"))
    except ValidationFailed as e:
        errors.update(e.errors)
        start, end = default_start, default_end
    return region, start, end, errors, raw_start, raw_end


def wide_area(user, region) -> bool:
    """A national or province area (more than one kab/kota): its pages show one row per
    kab/kota, never thousands of kecamatan rows (issue 19)."""
    return region is None or region.level == "provinsi"


def _focused(focus: str | None, row) -> bool:
    if not focus:
        return True
    f = row.figures
    kecamatan = getattr(row, "kecamatan_count", None)
    if focus == "tidak_rekam" and kecamatan is not None:
        # a kab/kota row (not the Dinas row of a kab/kota) counts its kecamatan that can record
        return (f.can_record_today or 0) < kecamatan
    return FOCUS_FILTERS[focus](f)


# Rows per page of the summary tables: a page of 50 stays far below 150 KB.
ROWS_PER_PAGE = 50


def paged(rows: list, args) -> Page:
    """One page of rows already in memory (`?page=`; `?per_page=` fewer, never more: 50 rows
    of the summary are ~75 KB)."""
    return page_of(rows, *page_args(default_per_page=ROWS_PER_PAGE, max_per_page=ROWS_PER_PAGE))


def summary_page(user, args) -> dict:
    """The summary page's context: every figure per kecamatan of a kab/kota, or per kab/kota
    of a province or the whole installation, optionally only the rows with one problem
    (`tampil`); one page of rows at a time."""
    region, start, end, errors, raw_start, raw_end = _page_options(user, args)
    by = "kabkota" if wide_area(user, region) else "kecamatan"
    result = services.summary_for(user, region, start, end, today=today_wib(), by=by)
    focus = args.get("tampil") if args.get("tampil") in FOCUS_FILTERS else None
    source = result.kabkota if by == "kabkota" else result.rows
    rows = [r for r in source if _focused(focus, r)]
    page = paged(rows, args)
    return {
        "summary": result,
        "by": by,
        "rows": page.items,
        "page": page,
        "cards": cards(result),
        "charts": charts(result),
        "drill_url": drill_url,
        "errors": errors,
        "focus": focus,
        "focus_label": FOCUS_LABELS.get(focus or ""),
        "choices": area_choices(user, services.SCOPE_LEVELS, region.code if region else ""),
        "raw_start": raw_start,
        "raw_end": raw_end,
        "region_arg": args.get("region") or (region.code if region else ""),
        "defs": figures.tooltips(),
        "footnotes": [figures.figure(k) for k in dict.fromkeys(PAGE_FIGURES)],
    }


# --- province / national view: kab/kota side by side ----------------------------------------

KABKOTA_SORTS = (
    "name",
    "assets_count",
    "assets_value",
    "idle_value",
    "unreported_value",
    "can_record_today",
    "downtime_hours",
    "overdue_tickets",
    "training_gaps",
    "blanko_closing",
    "days_of_cover",
    "coverage_pct",
    "reporting_pct",
)


def _sort_rows(rows, sort: str) -> list:
    """Rows ordered by `sort` (a KABKOTA_SORTS key, "-" first for descending); a figure that
    is not known (None) sorts last either way."""
    key = sort.lstrip("-")
    reverse = sort.startswith("-")
    if key == "name":
        return sorted(rows, key=lambda r: r.name, reverse=reverse)
    known = [r for r in rows if getattr(r.figures, key) is not None]
    unknown = [r for r in rows if getattr(r.figures, key) is None]
    return sorted(known, key=lambda r: getattr(r.figures, key), reverse=reverse) + unknown


def kabkota_page(user, args) -> dict:
    """The kab/kota comparison page's context: the summary grouped per kab/kota."""
    region, start, end, errors, raw_start, raw_end = _page_options(user, args)
    result = services.summary_for(user, region, start, end, today=today_wib(), by="kabkota")
    sort = args.get("sort") or "name"
    if sort.lstrip("-") not in KABKOTA_SORTS:
        sort = "name"
    page = paged(_sort_rows(result.kabkota, sort), args)
    return {
        "summary": result,
        "rows": page.items,
        "page": page,
        "sort": sort,
        "parties": vocab.RESPONSIBLE_PARTY,
        "errors": errors,
        "choices": area_choices(user, ("provinsi", "kabkota"), region.code if region else ""),
        "raw_start": raw_start,
        "raw_end": raw_end,
        "region_arg": args.get("region") or (region.code if region else ""),
        "defs": figures.tooltips(),
    }


def recap_page(user, args) -> dict:
    """The daily recap page's context; `file` = (bytes, mimetype, name) when `format` asks
    for the XLSX or PDF. A wrong value is shown beside its field and nothing is built."""
    from assets_app.hearing import recap
    from reports.recap_pdf import render_recap_pdf
    from reports.recap_xlsx import render_recap_xlsx

    day = recap.default_day().isoformat()
    raw_start, raw_end = args.get("dari") or day, args.get("sampai") or day
    region_arg = args.get("region") or (user.region_code or "")
    sheet, errors, file = None, {}, None
    try:
        sheet = recap.build_recap(user, region_arg or None, raw_start, raw_end, ("dari", "sampai"))
    except ValidationFailed as e:
        errors = e.errors
    kind = args.get("format")
    if sheet is not None and kind in ("xlsx", "pdf"):
        name = f"rekap-harian-{region_arg or 'semua'}-{sheet.start}-{sheet.end}.{kind}"
        if kind == "xlsx":
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            file = (render_recap_xlsx(sheet), mimetype, name)
        else:
            file = (render_recap_pdf(sheet), "application/pdf", name)
    page = paged(list(sheet.lines) if sheet is not None else [], args)
    return {
        "sheet": sheet,
        "lines": page.items,
        "page": page,
        "errors": errors,
        "file": file,
        "raw_start": raw_start,
        "raw_end": raw_end,
        "region_arg": region_arg,
        "choices": area_choices(user, ("provinsi", "kabkota"), region_arg),
    }
