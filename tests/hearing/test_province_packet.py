"""Issue 17: the province hearing packet — the kab/kota packet's sections with one row per
kab/kota (the `by="kabkota"` summary), the province kop and signature block, the lists cut
to a bounded number of items beside their count per kab/kota, and a number of queries that
does not grow with the number of kab/kota."""

from __future__ import annotations

import re
from io import BytesIO

import openpyxl
import time_machine
from pypdf import PdfReader

from assets_app.extensions import db
from assets_app.hearing import packet, services
from assets_app.regions.models import Region
from tests.factories import make_user
from tests.hearing import fixture
from tests.hearing.fixture import END, NOW, START, TODAY
from tests.hearing.helpers import make_asset
from tests.hearing.test_by_kabkota import _load_jawa_timur
from tests.querycount import count_queries

BASE = "https://aset.example"


def _generate(user, code="35"):
    with time_machine.travel(NOW, tick=False):
        return services.generate_packet(
            user, code, START, END, base_url=BASE, today=TODAY, now=NOW.astimezone()
        )


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def _sheet_rows(ws) -> list[tuple]:
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=2)]


def _jatim_kabkota() -> list[str]:
    return list(
        db.session.scalars(
            db.select(Region.code)
            .where(Region.level == "kabkota", Region.code.like("35.%"))
            .order_by(Region.code)
        )
    )


def test_province_packet_has_one_row_per_kabkota_and_totals_equal_the_rows(users):
    fixture.build(users)
    _load_jawa_timur()
    make_asset("35.07.01", price=7_000_000)
    make_asset("35.78.01", price=3_000_000, status="tidak_digunakan")
    jatim = make_user("dprd", "35")
    result = _generate(jatim)
    db.session.commit()
    kabkota = _jatim_kabkota()
    assert len(kabkota) == 38
    assert result.report.scope_name == "Provinsi Jawa Timur"

    wb = openpyxl.load_workbook(BytesIO(result.xlsx))
    ws = wb["Kabupaten-Kota"]
    head = [c.value for c in ws[1]]
    assert head[:3] == ["Kode wilayah", "Kabupaten/kota / lokasi", "Jumlah kecamatan"]
    rows = _sheet_rows(ws)
    body, total = rows[:-1], rows[-1]
    assert [r[0] for r in body] == kabkota  # one row per kab/kota, nothing per kecamatan
    assert total[1] == "Jumlah"
    for name in ("Jumlah kecamatan", "Jumlah aset", "Nilai aset", "Menganggur (unit)"):
        col = head.index(name)
        assert total[col] == sum(r[col] or 0 for r in body), name
    col = head.index
    assert total[col("Jumlah kecamatan")] == 666
    bondowoso = next(r for r in body if r[0] == "35.11")
    assert bondowoso[col("Jumlah aset")] == fixture.EXPECTED["assets_count"]
    assert total[col("Jumlah aset")] == fixture.EXPECTED["assets_count"] + 2
    assert total[col("Nilai aset")] == fixture.EXPECTED["assets_value"] + 10_000_000
    # the kab/kota row counts its kecamatan that can record (Bondowoso: Pujer and Tamanan)
    assert bondowoso[col("Kecamatan bisa rekam hari ini")] == 2
    coverage = _sheet_rows(wb["Cakupan"])
    assert [r[0] for r in coverage[:-1]] == kabkota
    assert coverage[-1][2] == sum(r[2] for r in coverage[:-1]) == fixture.EXPECTED["wajib_ktp"]
    summary = {r[1]: r[2] for r in _sheet_rows(wb["Ringkasan"])}
    assert summary["kabkota_count"] == 38 and summary["kecamatan_count"] == 666

    text = _pdf_text(result.pdf)
    assert "PEMERINTAH PROVINSI JAWA TIMUR" in text
    assert "38 kabupaten/kota, 666 kecamatan" in text
    assert "1. Kondisi per kabupaten/kota" in text
    section_1 = text.split("1. Kondisi per kabupaten/kota")[1].split("2. Pengadaan")[0]
    assert "Kec. Pujer" not in section_1  # no kecamatan rows in tables 1a–1c
    for name in ("Kabupaten Bondowoso", "Kabupaten Lumajang", "Kota Surabaya", "Kota Batu"):
        assert name in text, name
    # Tabel 1a's total line: the summed register of all kab/kota
    assert re.search(r"Jumlah\s+7\b", section_1)
    # the province has no official set: the block names who must sign
    flat = " ".join(text.split())
    assert "Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Jawa Timur" in flat
    assert "Pejabat penanda tangan belum diatur" in flat
    assert "Komisi I DPRD Provinsi Jawa Timur" in flat


def test_province_lists_are_cut_beside_their_count_per_kabkota(users, monkeypatch):
    fixture.build(users)
    _load_jawa_timur()
    for _ in range(5):
        make_asset("35.07.01", price=4_000_000, status="tidak_digunakan")
    for price in (60_000_000, 1_000_000, 2_000_000):
        make_asset("35.78.01", price=price, status="tidak_digunakan")
    monkeypatch.setattr(packet, "PROVINCE_LIST_LIMIT", 2)
    result = _generate(users["admin"])
    db.session.commit()

    wb = openpyxl.load_workbook(BytesIO(result.xlsx))
    idle = _sheet_rows(wb["Menganggur"])
    assert len(idle) == 3  # the 2 dearest, then the note
    assert [r[8] for r in idle[:2]] == [60_000_000, 49_990_000]
    assert "dari 9 unit, … dan 7 lainnya" in idle[2][0]
    per = _sheet_rows(wb["Daftar per kab-kota"])
    counts = {r[0]: r[2] for r in per[:-1]}
    assert counts == {"35.07": 5, "35.11": 1, "35.78": 3}
    assert per[-1][1] == "Jumlah" and per[-1][2] == 9
    assert per[-1][3] == 5 * 4_000_000 + 63_000_000 + 49_990_000
    # the cut list's counts are the figures of the kab/kota table
    kab = {r[0]: r for r in _sheet_rows(wb["Kabupaten-Kota"])}
    head = [c.value for c in wb["Kabupaten-Kota"][1]]
    col = head.index("Menganggur (unit)")
    assert {k: kab[k][col] for k in counts} == counts
    training = _sheet_rows(wb["Kesenjangan pelatihan"])
    assert len(training) <= 3

    text = " ".join(_pdf_text(result.pdf).split())
    assert "… dan 7 lainnya" in text
    assert "Jumlah 9 unit" in text
    assert text.count("Daftar unit dengan harga satuan tertinggi") == 1


def test_province_packet_runs_a_bounded_number_of_queries(users):
    from assets_app.tickets.sla_config import forget_sla_config

    jatim = make_user("dprd", "35")

    def queries() -> int:
        db.session.expire_all()
        forget_sla_config()
        with count_queries(db.engine) as statements:
            result = _generate(jatim)
        db.session.rollback()
        assert result.pdf[:4] == b"%PDF"
        return len(statements)

    make_asset("35.11.05")
    make_asset("35.11.05", status="tidak_digunakan")  # so every list query runs already
    small = queries()
    assert _load_jawa_timur() == 38
    for i, kab in enumerate(("35.01", "35.07", "35.78", "35.79")):
        make_asset(f"{kab}.01", status="tidak_digunakan" if i % 2 else "operasional")
    big = queries()
    assert big == small


def test_cli_makes_a_province_packet(app, users, runner, tmp_path):
    make_asset("35.11.05", price=12_500_000)
    out = tmp_path / "paket"
    result = runner.invoke(
        args=["reports", "hearing", "--region", "35", "--from", "2026-01-01"]
        + ["--to", "2026-06-30", "--out-dir", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Provinsi Jawa Timur" in result.output
    [pdf] = out.glob("*.pdf")
    assert pdf.name == "laporan-rdp-35-20260101-20260630.pdf"
    assert "1. Kondisi per kabupaten/kota" in _pdf_text(pdf.read_bytes())


def test_an_official_stored_for_the_province_signs_its_packet(users):
    """The officials page sets officials per kab/kota; one stored under the province code
    (e.g. by an operator) is the province packet's approver, with name and NIP."""
    from assets_app.officials.models import Official

    make_asset("35.11.05")
    db.session.add(
        Official(
            region_code="35",
            name="Dr. Hj. Siti Rahayu, M.Si.",
            nip="197001012000032001",
            rank="Pembina Utama Muda (IV/c)",
            position="Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Jawa Timur",
            signs=["rdp"],
        )
    )
    db.session.commit()
    flat = " ".join(_pdf_text(_generate(users["admin"]).pdf).split())
    assert "Dr. Hj. Siti Rahayu, M.Si." in flat
    assert "NIP. 197001012000032001" in flat
    assert "Pejabat penanda tangan belum diatur" not in flat
