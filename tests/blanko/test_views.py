"""Pages: forms keep what was typed, lists are bounded in queries, PDFs read back."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from assets_app.blanko import ditjen, services
from assets_app.extensions import db
from tests.blanko.conftest import DINAS, KEC2, PUJER, ago
from tests.querycount import count_queries


@pytest.fixture
def web(app, client, login):
    app.config["WTF_CSRF_ENABLED"] = False
    yield client
    app.config["WTF_CSRF_ENABLED"] = True


def pdf_text(data: bytes) -> str:
    """All pages' text with whitespace collapsed (table cells wrap onto several lines)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_penerimaan_form_saves_and_shows_the_movement(web, login, users):
    login(users["petugas"])
    r = web.post(
        "/blanko/mutasi/baru/penerimaan",
        data={
            "to_region": DINAS,
            "quantity": "1000",
            "occurred_at": "2026-01-05T09:30",
            "reference": "BAST/17/2026",
            "bast_date": "2026-01-05",
            "serial_ranges": "1001-2000",
            "note": "",
        },
    )
    assert r.status_code == 302
    page = web.get(r.headers["Location"]).get_data(as_text=True)
    assert "Penerimaan 1.000 keping tercatat." in page
    assert "BAST/17/2026" in page and "1001–2000" in page
    assert "5 Januari 2026 09.30 WIB" in page


def test_form_errors_keep_what_the_user_typed(web, login, users, ledger):
    ledger.receive(3)
    login(users["petugas"])
    r = web.post(
        "/blanko/mutasi/baru/distribusi",
        data={
            "from_region": DINAS,
            "to_region": PUJER,
            "quantity": "5",
            "occurred_at": "",
            "reference": "SJ-99",
            "serial_ranges": "",
            "note": "untuk pelayanan Sabtu",
        },
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Stok di Gudang Dinas Kab. Bondowoso tidak cukup: tersedia 3, diminta 5." in html
    assert 'value="SJ-99"' in html and "untuk pelayanan Sabtu" in html
    assert ledger.bal(DINAS) == (3, 0, 0)


def test_camat_confirms_and_records_on_own_kecamatan_only(web, login, users, ledger):
    ledger.receive(500)
    m = ledger.distribute(200, PUJER)
    login(users["camat"])
    page = web.get("/blanko/penerimaan-tertunda").get_data(as_text=True)
    assert f'data-movement="{m.id}"' in page
    r = web.post(
        f"/blanko/mutasi/{m.id}/terima",
        data={"quantity_received": "190", "received_at": "", "note": ""},
    )
    assert r.status_code == 422
    assert "alasan selisih wajib diisi" in r.get_data(as_text=True)
    r = web.post(
        f"/blanko/mutasi/{m.id}/terima",
        data={
            "quantity_received": "190",
            "note": "10 basah",
            "next": "/blanko/penerimaan-tertunda",
        },
    )
    assert r.status_code == 302 and r.headers["Location"].endswith("/blanko/penerimaan-tertunda")
    assert ledger.bal(PUJER) == (190, 0, 0)
    detail = web.get(f"/blanko/mutasi/{m.id}").get_data(as_text=True)
    assert "selisih" in detail.lower() and "10 basah" in detail
    r = web.post(
        "/blanko/mutasi/baru/pemakaian",
        data={"from_region": KEC2, "quantity": "1", "occurred_at": ""},
    )
    assert "di luar cakupan wilayah Anda" in r.get_data(as_text=True)
    r = web.get("/blanko/mutasi/baru/distribusi")
    assert r.status_code == 403


def test_kadis_decides_from_the_approvals_page(web, login, users, ledger):
    ledger.stock(PUJER, 20)
    m = ledger.damage(5)
    login(users["kadis"])
    page = web.get("/blanko/persetujuan").get_data(as_text=True)
    assert f'data-movement="{m.id}"' in page
    r = web.post(f"/blanko/mutasi/{m.id}/putuskan", data={"approved": "ya", "berita_acara_no": ""})
    assert r.status_code == 422
    assert "Nomor berita acara wajib diisi untuk menyetujui." in r.get_data(as_text=True)
    r = web.post(
        f"/blanko/mutasi/{m.id}/putuskan",
        data={"approved": "ya", "berita_acara_no": "BA/01/2026", "next": "/blanko/persetujuan"},
    )
    assert r.status_code == 302
    assert ledger.bal(PUJER) == (15, 0, 0)
    login(users["petugas"])
    page = web.get("/blanko/persetujuan").get_data(as_text=True)
    assert "Setujui" not in page  # only the kadis gets the buttons


def test_berita_acara_pdf_reads_back(web, login, users, ledger):
    ledger.receive(100, ranges=[[1, 100]])
    ledger.confirm(ledger.distribute(100, PUJER, ranges=[[1, 100]]))
    m = ledger.damage(2, serial_ranges=[[7, 8]], note="Gagal cetak: chip rusak")
    login(users["camat"])
    early = web.get(f"/blanko/mutasi/{m.id}/berita-acara.pdf")
    assert early.status_code == 422
    assert "Berita acara tersedia setelah" in early.get_data(as_text=True)
    ledger.decide(m, True, ba="BA.400.12.2.1/05/Disdukcapil/2026")
    r = web.get(f"/blanko/mutasi/{m.id}/berita-acara.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = pdf_text(r.data)
    assert "BERITA ACARA PENGHAPUSAN BLANKO KTP-el RUSAK" in text
    assert "BA.400.12.2.1/05/Disdukcapil/2026" in text
    assert "2 (dua) keping" in text and "7–8" in text
    assert "Kec. Pujer" in text and "Gagal cetak: chip rusak" in text
    assert "PEMERINTAH KABUPATEN BONDOWOSO" in text
    assert "Disetujui oleh" in text and "Pejabat penanda tangan belum diatur" in text


def test_opname_sheet_pdf_lists_every_location_with_signature_lines(web, login, users, ledger):
    ledger.stock(PUJER, 120)
    ledger.damage(3)
    login(users["petugas"])
    r = web.get("/blanko/opname/lembar.pdf?region=35.11")
    assert r.status_code == 200
    text = pdf_text(r.data)
    assert "LEMBAR STOCK OPNAME BLANKO KTP-el" in text
    assert "Gudang Dinas Kab. Bondowoso" in text and "Kec. Pujer" in text
    assert re.search(r"35\.11\.05\s+Kec\. Pujer\s+120\s+0\s+3", text)
    for caption in ("Petugas penghitung", "Penanggung jawab lokasi", "Kepala Dinas"):
        assert caption in text
    assert "Hasil hitung" in text and "Selisih" in text


def test_opname_form_posts_a_penyesuaian(web, login, users, ledger):
    ledger.stock(PUJER, 50)
    login(users["petugas"])
    page = web.get("/blanko/opname/baru?region=35.11.05").get_data(as_text=True)
    assert 'data-testid="book-balance">50<' in page
    r = web.post(
        "/blanko/opname/baru",
        data={"region_code": PUJER, "counted_quantity": "48", "counted_at": "", "reason": ""},
    )
    assert "alasan selisih wajib diisi" in r.get_data(as_text=True)
    r = web.post(
        "/blanko/opname/baru",
        data={"region_code": PUJER, "counted_quantity": "48", "reason": "2 tidak ditemukan"},
    )
    assert r.status_code == 302 and "/blanko/mutasi/" in r.headers["Location"]
    assert ledger.bal(PUJER) == (50, 0, 2)


def test_request_pages_and_letter_pdf(web, login, users, ledger):
    ledger.stock(PUJER, 300)
    for day in range(1, 21):
        ledger.use(10, occurred_at=ago(day))
    login(users["petugas"])
    page = web.get("/blanko/permintaan/baru").get_data(as_text=True)
    assert 'data-testid="suggested"' in page
    r = web.post(
        "/blanko/permintaan/baru",
        data={
            "region_code": DINAS,
            "quantity": "5000",
            "letter_date": "2026-11-20",
            "recipient": "",
            "signatory": "Drs. Contoh Nama, M.Si.",
            "note": "",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    req_id = int(r.headers["Location"].rstrip("/").split("/")[-1])
    r = web.get(f"/blanko/permintaan/{req_id}/surat.pdf")
    text = pdf_text(r.data)
    assert "DRAF" in text and "(diberikan saat ditandatangani)" in text
    # the request letter is a letter of the letters module: numbered when the kadis signs
    from assets_app.letters import queries as letter_queries
    from assets_app.letters import services as letters

    [letter] = letter_queries.letters_for_subject("blanko_request", req_id)
    letters.sign_letter(letter, users["kadis"])
    db.session.commit()
    text = pdf_text(web.get(f"/blanko/permintaan/{req_id}/surat.pdf").data)
    assert "Permohonan Alokasi Blanko KTP-el" in text and "DRAF" not in text
    assert "5.000 (lima ribu) keping" in text
    assert "400.12.2.1/0001/Disdukcapil/2026" in text
    assert "Direktur Jenderal Kependudukan dan Pencatatan Sipil" in text
    assert "Drs. Contoh Nama, M.Si." in text and "20 November 2026" in text
    # the tembusan names the province of the kab/kota, not "… Provinsi" alone
    assert "Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Jawa Timur" in text
    assert "Halaman" not in text  # a one-page letter (letters module) carries no page number
    r = web.post(f"/blanko/permintaan/{req_id}/batal", data={"note": ""})
    assert r.status_code == 422
    assert "Alasan pembatalan wajib diisi." in r.get_data(as_text=True)


def test_movement_history_filters(web, login, users, ledger):
    ledger.stock(PUJER, 50)
    ledger.use(4)
    ledger.damage(1)
    login(users["petugas"])
    html = web.get("/blanko/mutasi?kind=pemakaian").get_data(as_text=True)
    assert html.count('data-testid="status-') == 1
    html = web.get("/blanko/mutasi?status=pending_approval").get_data(as_text=True)
    assert "Menunggu persetujuan" in html and html.count('data-testid="status-') == 1
    html = web.get("/blanko/mutasi?from=tanggal").get_data(as_text=True)
    assert "Tanggal &#39;dari&#39; tidak valid." in html or "Tanggal 'dari' tidak valid." in html


def test_region_page_panel_shows_balance_and_low_stock_badge(web, login, users, ledger):
    ledger.stock(PUJER, 10)
    for day in range(1, 11):
        ledger.use(1, occurred_at=ago(day))
    login(users["camat"])
    html = web.get("/wilayah/35.11.05").get_data(as_text=True)
    assert 'data-testid="blanko-panel"' in html and 'data-testid="low-stock"' in html
    home = web.get("/beranda").get_data(as_text=True)
    assert 'data-testid="home-blanko"' in home


PAGES = [
    "/blanko/",
    "/blanko/mutasi",
    "/blanko/peringatan",
    "/blanko/persetujuan",
    "/blanko/penerimaan-tertunda",
    "/blanko/kerusakan",
    "/blanko/lokasi/35.11.05",
    "/blanko/lokasi/35.11",
    "/blanko/opname",
    "/blanko/permintaan",
    "/wilayah/35.11.05",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_run_a_bounded_number_of_queries(web, login, users, ledger, db, path):
    def measure():
        login(users["admin_kab"])
        with count_queries(db.engine) as q:
            r = web.get(path)
        assert r.status_code == 200
        return len(q)

    ledger.stock(PUJER, 200)
    ledger.receive(100, ref="BAST/extra")
    ledger.damage(1)
    ledger.distribute(10, KEC2)
    ditjen.create_request(users["petugas"], region_code=DINAS, quantity=100)
    services.record_stock_opname(users["petugas"], region_code=PUJER, counted_quantity=200)
    db.session.commit()
    few = measure()
    for _ in range(12):
        ledger.use(1)
        ledger.damage(1)
        ledger.distribute(1, KEC2)
    services.record_stock_opname(users["petugas"], region_code=KEC2, counted_quantity=0)
    ditjen.create_request(users["petugas"], region_code=DINAS, quantity=100)
    db.session.commit()
    assert measure() == few
