"""Issue 12, cross-surface: for random small Bondowoso datasets, the summary service, the API,
the summary page, the packet's PDF text and its XLSX cells give the same value for every
figure checked, and every blanko row reconciles; the summary page's kecamatan rows match the
service's rows, and the home-page cards match the summary of the home page's own period.

Each example is written through the domains' services (as users would) at the moments the
events happen, inside a period that ended before the frozen clock (Tue 1 December 2026,
09.00 WIB). Examples share the test's database, so each one starts by bringing it back to the
`users` state the same way tests/conftest.py does between tests (tests/dbstate.py).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO

import openpyxl
import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from assets_app.assets import services as assets
from assets_app.blanko import queries as blanko_queries
from assets_app.blanko import services as blanko
from assets_app.blanko.summary import reconciles
from assets_app.common.formatting import WIB
from assets_app.extensions import db
from assets_app.hearing import services as hearing
from assets_app.hearing.period import default_period
from assets_app.hearing.summary import build_summary
from assets_app.letters import services as letters
from assets_app.tickets import services as tickets
from reports.hearing_text import angka, rupiah
from tests.assets.helpers import make_asset
from tests.hearing.helpers import assert_blanko_sheet_reconciles
from tests.letters.example import DITJEN
from tests.properties import EXAMPLES, fresh_users

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tue 1 December 2026, 09.00 WIB
START, END = date(2026, 11, 2), date(2026, 11, 20)  # Mon 2 – Fri 20 November
PERIOD_DAYS = (END - START).days + 1
KECAMATAN = ("35.11.01", "35.11.02", "35.11.05")
DINAS = "35.11"
RECON = ("opening", "received", "distributed", "returned", "used", "damaged", "adjusted")

# The figures compared on every surface (their keys in the API, the XLSX 'Ringkasan' sheet).
FIGURES = (
    "assets_count",
    "assets_value",
    "idle_count",
    "idle_value",
    "unreported_count",
    "unreported_value",
    "open_tickets",
    "overdue_tickets",
    "letters_sent",
    "letters_received",
    "letters_unanswered",
    *(f"blanko_{k}" for k in RECON),
    "blanko_closing",
    "blanko_in_transit",
    "blanko_balance",
    "blanko_low_locations",
    "blanko_received_external",
)


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), WIB)


def day_of(offset: int) -> date:
    return START + timedelta(days=offset)


# --- the datasets --------------------------------------------------------------------------

in_period = st.integers(0, PERIOD_DAYS - 1)

asset_spec = st.fixed_dictionaries(
    {
        "kec": st.integers(0, 2),
        "price": st.sampled_from((6_200_000, 14_750_000, 49_990_000)),
        "category": st.sampled_from(("perekaman", "cetak_ktp")),
        # no change, parked, or a breakdown (repaired two days later or not)
        "change": st.sampled_from((None, "tidak_digunakan", "gangguan", "gangguan_repaired")),
        "day": st.integers(0, PERIOD_DAYS - 3),
    }
)
ticket_spec = st.fixed_dictionaries(
    {
        "kec": st.integers(0, 2),
        # a day of the period, or after its end (filed after the period: not open at its end)
        "day": st.one_of(in_period, st.integers(PERIOD_DAYS + 1, PERIOD_DAYS + 8)),
        "urgency": st.sampled_from(("rendah", "tinggi")),
    }
)
outgoing_spec = st.fixed_dictionaries(
    {
        "kec": st.integers(0, 2),
        "day": st.integers(-10, PERIOD_DAYS - 1),  # some sent before the period
        "reply_after": st.one_of(st.none(), st.integers(1, 15)),  # replies may come after it
    }
)
incoming_spec = st.fixed_dictionaries(
    {"kec": st.integers(0, 2), "day": st.integers(-5, PERIOD_DAYS + 5)}
)
transfer_spec = st.fixed_dictionaries(
    {
        "kec": st.integers(0, 2),
        "quantity": st.integers(30, 200),  # covers short (≤ 5) + used + damaged + returned
        "fate": st.sampled_from(("full", "short", "transit")),
        "short": st.integers(1, 5),
        "used": st.integers(0, 10),
        "damaged": st.integers(0, 3),  # written off at the kecamatan, approved by the kadis
        "returned": st.integers(0, 5),  # sent back to the Dinas and confirmed there
    }
)
datasets = st.fixed_dictionaries(
    {
        "kecamatan": st.lists(st.sampled_from(KECAMATAN), min_size=2, max_size=3, unique=True),
        "assets": st.lists(asset_spec, min_size=1, max_size=4),
        "usage": st.lists(st.sets(in_period, max_size=6), min_size=3, max_size=3),
        "tickets": st.lists(ticket_spec, max_size=3),
        "outgoing": st.lists(outgoing_spec, max_size=2),
        "incoming": st.lists(incoming_spec, max_size=2),
        "received": st.integers(800, 2_000),
        "received_day": st.integers(-3, 0),  # at or before the period's start (an opening)
        "transfers": st.lists(transfer_spec, min_size=1, max_size=3),
        "opname": st.integers(-3, 3),  # the Dinas's stock count at the end: short or over
    }
)


def build(users, data: dict) -> dict:
    """Writes one dataset; returns the answers that can be told without the app."""
    petugas, kadis = users["petugas"], users["kadis"]
    kec = data["kecamatan"]

    def where(i: int) -> str:
        return kec[i % len(kec)]

    with time_machine.travel(at(START - timedelta(days=7)), tick=False):
        made = [
            (
                spec,
                make_asset(
                    petugas,
                    region_code=where(spec["kec"]),
                    category=spec["category"],
                    unit_price=spec["price"],
                    acquired_on=date(2024, 1, 10),
                    bast_date=date(2024, 1, 15),
                ),
            )
            for spec in data["assets"]
        ]
    for spec, asset in made:
        change, day = spec["change"], day_of(spec["day"])
        if change is None:
            continue
        status = "tidak_digunakan" if change == "tidak_digunakan" else "gangguan"
        with time_machine.travel(at(day), tick=False):
            assets.set_status(
                petugas,
                asset,
                status=status,
                cause="operator" if status == "tidak_digunakan" else "jaringan",
                responsible_party="disdukcapil" if status == "tidak_digunakan" else "diskominfo",
                started_at=at(day),
            )
            db.session.commit()
        if change == "gangguan_repaired":
            with time_machine.travel(at(day + timedelta(days=2)), tick=False):
                assets.set_status(
                    petugas, asset, status="operasional", started_at=at(day + timedelta(days=2))
                )
                db.session.commit()

    for i, days in enumerate(data["usage"]):
        for offset in sorted(days):
            day = day_of(offset)
            with time_machine.travel(at(day, 16), tick=False):
                assets.record_usage(
                    petugas,
                    {
                        "region_code": where(i),
                        "day": day,
                        "rekam": 5 + offset,
                        "ditolak": offset % 3,
                        "cetak_ktp": offset % 2,
                        "cetak_kk": 0,
                        "kuota": 60,
                    },
                )
                db.session.commit()

    open_at_end = 0
    for n, spec in enumerate(data["tickets"]):
        filed = day_of(spec["day"])
        open_at_end += filed <= END
        with time_machine.travel(at(filed, 10), tick=False):
            tickets.file_ticket(
                by=petugas,
                region_code=where(spec["kec"]),
                category="jaringan",
                urgency=spec["urgency"],
                impact=spec["urgency"],
                title=f"Gangguan {n + 1}",
                description="Tidak dapat mengirim data perekaman.",
            )
            db.session.commit()

    sent = unanswered = 0
    for n, spec in enumerate(data["outgoing"]):
        on = day_of(spec["day"])
        sent += START <= on <= END
        with time_machine.travel(at(on, 10), tick=False):
            letter = letters.compose_letter(
                by=petugas,
                region_code=where(spec["kec"]),
                direction="keluar",
                recipient=DITJEN,
                perihal=f"Permohonan perbaikan {n + 1}",
                body="Dengan hormat,\n\nMohon bantuan perbaikan.",
                letter_date=on,
            )
            letters.sign_letter(letter, kadis)
            letters.mark_sent(letter, petugas, on, "srikandi")
            db.session.commit()
        replied = None if spec["reply_after"] is None else on + timedelta(spec["reply_after"])
        if replied is not None:
            with time_machine.travel(at(replied, 10), tick=False):
                letters.record_reply(letter, petugas, replied, "Akan ditindaklanjuti.")
                db.session.commit()
        unanswered += on <= END and (replied is None or replied > END)

    received = 0
    for n, spec in enumerate(data["incoming"]):
        on = day_of(spec["day"])
        received += START <= on <= END
        with time_machine.travel(at(on, 10), tick=False):
            letters.compose_letter(
                by=petugas,
                region_code=where(spec["kec"]),
                direction="masuk",
                sender="Camat",
                recipient="Kepala Dinas",
                number=f"005/{n + 1}/2026",
                letter_date=on,
                received_on=on,
                perihal="Mohon perbaikan peralatan",
            )
            db.session.commit()

    # blanko: one receipt from Ditjen at the Dinas, then transfers (received in full, short, or
    # left in transit) and some use at the kecamatan that received them
    when = at(day_of(data["received_day"]), 8)
    with time_machine.travel(when, tick=False):
        blanko.record_movement(
            petugas,
            kind="penerimaan",
            to_region=DINAS,
            quantity=data["received"],
            occurred_at=when,
            reference="BAST/DITJEN/2026/11",
            bast_date=when.date(),
        )
        db.session.commit()
    in_transit = short = used = damaged = 0
    for n, spec in enumerate(data["transfers"]):
        shipped, qty = day_of(1 + 3 * n), spec["quantity"]
        with time_machine.travel(at(shipped), tick=False):
            out = blanko.record_movement(
                petugas,
                kind="distribusi",
                from_region=DINAS,
                to_region=where(spec["kec"]),
                quantity=qty,
                occurred_at=at(shipped),
            )
            db.session.commit()
        if spec["fate"] == "transit":
            in_transit += qty
            continue
        got = qty - (spec["short"] if spec["fate"] == "short" else 0)
        short += qty - got
        arrived = shipped + timedelta(days=1)
        with time_machine.travel(at(arrived), tick=False):
            blanko.receive_movement(
                petugas,
                out.id,
                quantity_received=got,
                note="kurang" if got < qty else None,
                received_at=at(arrived),
                on_behalf_reason="Dicatat Dinas (uji lintas permukaan)",
            )
            db.session.commit()
        kec_code = where(spec["kec"])
        if spec["used"]:
            with time_machine.travel(at(arrived, 14), tick=False):
                blanko.record_movement(
                    petugas,
                    kind="pemakaian",
                    from_region=kec_code,
                    quantity=spec["used"],
                    occurred_at=at(arrived, 14),
                )
                db.session.commit()
            used += spec["used"]
        if spec["damaged"]:
            with time_machine.travel(at(arrived, 15), tick=False):
                spoilt = blanko.record_movement(
                    petugas,
                    kind="rusak",
                    from_region=kec_code,
                    quantity=spec["damaged"],
                    occurred_at=at(arrived, 15),
                    note="Gagal cetak",
                )
                db.session.commit()
            with time_machine.travel(at(arrived + timedelta(days=1), 9), tick=False):
                blanko.decide_movement(kadis, spoilt.id, approved=True, berita_acara_no="BA/1")
                db.session.commit()
            damaged += spec["damaged"]
        if spec["returned"]:
            with time_machine.travel(at(arrived, 16), tick=False):
                back = blanko.record_movement(
                    petugas,
                    kind="pengembalian",
                    from_region=kec_code,
                    quantity=spec["returned"],
                    occurred_at=at(arrived, 16),
                )
                db.session.commit()
            with time_machine.travel(at(arrived + timedelta(days=1), 10), tick=False):
                blanko.receive_movement(
                    petugas,
                    back.id,
                    quantity_received=spec["returned"],
                    received_at=at(arrived + timedelta(days=1), 10),
                )
                db.session.commit()

    adjusted = 0
    if data["opname"]:
        counted_at = at(END - timedelta(days=1), 15)
        with time_machine.travel(counted_at, tick=False):
            on_hand = blanko_queries.balance_of(DINAS).on_hand
            opname = blanko.record_stock_opname(
                petugas,
                region_code=DINAS,
                counted_quantity=max(0, on_hand + data["opname"]),
                reason="Hasil stock opname akhir periode",
                counted_at=counted_at,
            )
            db.session.commit()
            adjusted = opname.difference
        with time_machine.travel(at(END, 9), tick=False):
            blanko.decide_movement(
                kadis, opname.movement_id, approved=True, berita_acara_no="BA/SO/1"
            )
            db.session.commit()

    return {
        "assets_count": len(made),
        "assets_value": sum(spec["price"] for spec, _ in made),
        "open_tickets": open_at_end,
        "letters_sent": sent,
        "letters_received": received,
        "letters_unanswered": unanswered,
        "blanko_used": used,
        "blanko_damaged": damaged,
        # the only cards entering the area; received before the period's start: an opening
        "blanko_received_external": data["received"] if data["received_day"] == 0 else 0,
        "blanko_adjusted": adjusted,
        "blanko_in_transit": in_transit,
        # a confirmed return moves cards inside the area: the area's stock does not change
        "blanko_closing": data["received"] - in_transit - short - used - damaged + adjusted,
    }


# --- the surfaces --------------------------------------------------------------------------


def _recon(figures: dict) -> dict:
    return {k: figures[f"blanko_{k}"] for k in (*RECON, "closing")}


def _pdf_sentences(t: dict) -> list[str]:
    out = [
        f"Tercatat {angka(t['assets_count'])} unit peralatan dengan nilai perolehan "
        f"{rupiah(t['assets_value'])}",
        f"terdapat {angka(t['open_tickets'])} tiket perbaikan yang masih terbuka; "
        f"{angka(t['overdue_tickets'])} di antaranya",
        f"Selama periode Dinas mengirim {angka(t['letters_sent'])} surat keluar.",
        f"Dinas menerima {angka(t['letters_received'])} surat masuk",
        f"saldo awal {angka(t['blanko_opening'])} + diterima {angka(t['blanko_received'])} "
        f"− dikirim {angka(t['blanko_distributed'])} + kembali {angka(t['blanko_returned'])} "
        f"− dipakai {angka(t['blanko_used'])} − rusak {angka(t['blanko_damaged'])} "
        f"± penyesuaian {angka(t['blanko_adjusted'])} = saldo akhir "
        f"{angka(t['blanko_closing'])} keping; di luar saldo itu "
        f"{angka(t['blanko_in_transit'])} keping masih dalam perjalanan",
        f"Dari luar wilayah (Ditjen Dukcapil) masuk {angka(t['blanko_received_external'])} keping",
    ]
    if t["idle_count"]:
        out.append(
            f"Sebanyak {angka(t['idle_count'])} unit peralatan senilai "
            f"{rupiah(t['idle_value'])} menganggur"
        )
    else:
        out.append("Tidak ada peralatan yang menganggur.")
    if t["unreported_count"]:
        out.append(
            f"Selain itu, {angka(t['unreported_count'])} unit peralatan operasional senilai "
            f"{rupiah(t['unreported_value'])} berada di lokasi"
        )
    if t["letters_unanswered"]:
        out.append(
            f"{angka(t['letters_unanswered'])} surat keluar Dinas yang dikirim sampai tanggal "
            f"itu belum dibalas"
        )
    else:
        out.append("tidak ada surat keluar Dinas yang belum dibalas")
    return out


def _cells(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    ]


def _page_total(html: str) -> dict:
    """The summary page's total row (tfoot), in the columns of its table."""
    return _columns(_cells(html[html.index("<tfoot") : html.index("</tfoot>")]))


def _page_rows(html: str) -> dict[str, dict]:
    """The summary page's kecamatan rows (tbody), by region code."""
    body = html[html.index("<tbody") : html.index("</tbody>")]
    rows = re.findall(r'<tr data-region="([^"]+)">(.*?)</tr>', body, re.S)
    return {code: _columns(_cells(row)) for code, row in rows}


def _page_expected(f: dict) -> dict:
    return {
        "assets_count": angka(f["assets_count"]),
        "assets_value": rupiah(f["assets_value"]),
        "idle": f"{angka(f['idle_count'])} · {rupiah(f['idle_value'])}",
        "unreported": f"{angka(f['unreported_count'])} · {rupiah(f['unreported_value'])}",
        "open_tickets": angka(f["open_tickets"]),
        "overdue_tickets": angka(f["overdue_tickets"]),
        "blanko_balance": angka(f["blanko_balance"]),
    }


def _home_cards(html: str) -> dict[str, str]:
    found = re.findall(r'data-testid="value-([a-z_]+)">(.*?)</div>', html, re.S)
    return {k: re.sub(r"\s+", " ", v).strip() for k, v in found}


def _columns(cells: list[str]) -> dict:
    return {
        "assets_count": cells[1],
        "assets_value": cells[2],
        "idle": cells[6],
        "unreported": cells[7],
        "open_tickets": cells[10],
        "overdue_tickets": cells[11],
        "blanko_balance": cells[14],
    }


def check_surfaces(users, client, login, api_token, answers: dict) -> None:
    dprd = users["dprd"]
    summary = build_summary(dprd, DINAS, START, END)
    total = summary.total.as_dict()
    want = {k: total[k] for k in FIGURES}

    # the service against what the dataset says, and every blanko row reconciles
    assert {k: want[k] for k in answers} == answers
    assert want["blanko_balance"] == want["blanko_closing"]
    for row in (*summary.rows, summary.total):
        figures = row.as_dict() if row is summary.total else row.figures.as_dict()
        assert reconciles(_recon(figures)), getattr(row, "region_code", "total")
    assert reconciles(_recon(total))

    # the API
    body = client.get(
        f"/api/v1/reports/summary?region={DINAS}&from={START}&to={END}",
        headers=api_token(dprd),
    ).get_json()
    assert {k: body["total"][k] for k in FIGURES} == want
    for row in body["kecamatan"]:
        assert reconciles(_recon(row)), row["region_code"]
    assert {r["region_code"]: _recon(r) for r in body["kecamatan"]} == {
        r.region_code: _recon(r.figures.as_dict()) for r in summary.rows
    }

    # the summary page (the total row)
    login(dprd)
    html = client.get(f"/laporan/ringkasan?region={DINAS}&dari={START}&sampai={END}")
    html = html.get_data(as_text=True)
    assert _page_total(html) == _page_expected(want)
    assert _page_rows(html) == {
        r.region_code: _page_expected(r.figures.as_dict()) for r in summary.rows
    }

    # the home page's cards: the summary of its own period (the last 30 days)
    home = _home_cards(client.get("/beranda").get_data(as_text=True))
    t = build_summary(dprd, DINAS, *default_period()).total
    assert home["assets_value"] == rupiah(t.assets_value)
    assert home["idle_value"] == rupiah(t.idle_value)
    assert home["overdue_tickets"] == angka(t.overdue_tickets)
    assert home["blanko_balance"] == angka(t.blanko_balance)

    # the packet: PDF text and XLSX cells
    packet = hearing.generate_packet(dprd, DINAS, START, END, base_url="https://x.id")
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(BytesIO(packet.pdf)).pages)
    )
    for sentence in _pdf_sentences(want):
        assert sentence in text, sentence
    wb = openpyxl.load_workbook(BytesIO(packet.xlsx))
    cells = {r[1].value: r[2].value for r in wb["Ringkasan"].iter_rows(min_row=2)}
    assert {k: cells[k] for k in FIGURES} == want
    ws = wb["Kecamatan"]
    head = [c.value for c in ws[1]]
    foot = dict(zip(head, (c.value for c in ws[ws.max_row]), strict=True))
    assert foot["Nilai aset"] == want["assets_value"]
    assert foot["Surat keluar dikirim Dinas"] == want["letters_sent"]
    assert foot["Surat masuk diterima"] == want["letters_received"]
    assert foot["Surat keluar belum dibalas (akhir periode)"] == want["letters_unanswered"]
    ws = wb["Blanko"]
    head = assert_blanko_sheet_reconciles(ws)


@pytest.mark.slow
def test_every_surface_gives_the_same_figures(app, users, client, login, api_token, _dbstate):
    @EXAMPLES
    @given(data=datasets)
    def run(data):
        # each example from the `users` state, as conftest.py brings each test to it
        fresh = fresh_users(_dbstate)
        with time_machine.travel(NOW, tick=False):
            answers = build(fresh, data)
            check_surfaces(fresh, client, login, api_token, answers)

    with time_machine.travel(NOW, tick=False):
        run()
