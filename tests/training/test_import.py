"""XLSX import of operators: every row or none, `Baris N, kolom X: pesan`."""

import io

import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from assets_app.training.importer import import_operators
from assets_app.training.models import Operator
from tests.training.factories import make_operator

HEAD = ["Nama", "NIP", "Jabatan", "Kode Wilayah", "Telepon", "Aktif"]


def xlsx(rows, headers=HEAD) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _count(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Operator))


def test_valid_file_imports_every_row(app, client, login, users, db):
    app.config["WTF_CSRF_ENABLED"] = False
    data = xlsx(
        [
            ["Siti Aminah", "198703122010012003", "Operator Perekaman", "35.11.05", "081234567890", "Ya"],
            ["Budi Santoso", None, "Operator Cetak", "35.11.06", None, None],
            ["Operator Dinas", None, "Pengelola Server", "35.11", "+62 331 123456", "Tidak"],
        ]
    )  # fmt: skip
    login(users["petugas"])
    # "Periksa saja" validates without saving.
    resp = client.post(
        "/pelatihan/operator/impor",
        data={"file": (io.BytesIO(data), "op.xlsx"), "dry_run": "y"},
        content_type="multipart/form-data",
    )
    assert "Berkas valid: 3 baris siap diimpor." in resp.get_data(as_text=True)
    assert _count(db) == 0
    resp = client.post(
        "/pelatihan/operator/impor",
        data={"file": (io.BytesIO(data), "op.xlsx")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    ops = {o.name: o for o in db.session.scalars(sa.select(Operator))}
    assert set(ops) == {"Siti Aminah", "Budi Santoso", "Operator Dinas"}
    assert ops["Siti Aminah"].nip == "198703122010012003"
    assert ops["Operator Dinas"].active is False and ops["Operator Dinas"].region_code == "35.11"


def test_every_kind_of_error_is_listed_and_nothing_is_imported(app, users, db):
    make_operator("35.11.05", "Sudah Ada", nip="198001012005011001")
    make_operator("35.11.05", "Nama Kembar")
    rows = [
        ["Baik Satu", None, "Operator", "35.11.05", None, None],  # 2: fine on its own
        [None, None, "Operator", "35.11.05", None, None],  # 3: no name
        ["A" * 130, None, "Operator", "35.11.05", None, None],  # 4: name too long
        ["Tanpa Jabatan", None, None, "35.11.05", None, None],  # 5: no position
        ["NIP Pendek", "12345", "Operator", "35.11.05", None, None],  # 6: NIP format
        ["NIP Angka", 198703122010012003, "Operator", "35.11.05", None, None],  # 7: NIP number
        ["NIP Terpakai", "198001012005011001", "Operator", "35.11.05", None, None],  # 8
        ["NIP Ganda A", "199001012015011002", "Operator", "35.11.05", None, None],  # 9
        ["NIP Ganda B", "199001012015011002", "Operator", "35.11.06", None, None],  # 10
        ["Tanpa Wilayah", None, "Operator", None, None, None],  # 11
        ["Wilayah Asing", None, "Operator", "99.99.99", None, None],  # 12: unknown
        ["Luar Cakupan", None, "Operator", "36.73.05", None, None],  # 13: out of scope
        ["Kelurahan", None, "Operator", "35.11.05.2001", None, None],  # 14: wrong level
        ["Wilayah Angka", None, "Operator", 35.11, None, None],  # 15: typed as a number
        ["Telepon Salah", None, "Operator", "35.11.05", "12-34", None],  # 16
        ["Aktif Salah", None, "Operator", "35.11.05", None, "mungkin"],  # 17
        ["Nama Kembar", None, "Operator", "35.11.05", None, None],  # 18: exists already
        ["Dua Kali", None, "Operator", "35.11.06", None, None],  # 19
        ["Dua Kali", None, "Operator", "35.11.06", None, None],  # 20: same as row 19
    ]
    result = import_operators(xlsx(rows), users["petugas"])
    expected = [
        "Baris 3, kolom Nama: Nama wajib diisi.",
        "Baris 4, kolom Nama: Nama maksimal 120 karakter.",
        "Baris 5, kolom Jabatan: Jabatan wajib diisi.",
        "Baris 6, kolom NIP: NIP harus 18 angka",
        "Baris 7, kolom NIP: NIP harus diketik sebagai teks",
        "Baris 8, kolom NIP: NIP 198001012005011001 sudah terdaftar.",
        "Baris 10, kolom NIP: NIP 199001012015011002 sudah dipakai di baris 9.",
        "Baris 11, kolom Kode Wilayah: Kode wilayah wajib diisi.",
        "Baris 12, kolom Kode Wilayah: Kode wilayah 99.99.99 tidak dikenal.",
        "Baris 13, kolom Kode Wilayah: Wilayah 36.73.05 di luar cakupan wilayah Anda.",
        "Baris 14, kolom Kode Wilayah: Wilayah 35.11.05.2001 harus kecamatan",
        "Baris 15, kolom Kode Wilayah: Kode wilayah harus diketik sebagai teks",
        "Baris 16, kolom Telepon: Nomor telepon harus diawali 0 atau +62",
        "Baris 17, kolom Aktif: Isi dengan Ya atau Tidak.",
        "Baris 18, kolom Nama: Operator bernama Nama Kembar sudah terdaftar",
        "Baris 20, kolom Nama: Nama dan wilayah sama dengan baris 19.",
    ]
    assert not result.ok
    for want in expected:
        assert any(e.startswith(want) for e in result.errors), (want, result.errors)
    assert len(result.errors) == len(expected)
    assert not any(e.startswith("Baris 2,") or e.startswith("Baris 9,") for e in result.errors)
    assert _count(db) == 2  # only the two made before


def test_file_level_errors(app, users, db):
    by = users["petugas"]
    assert import_operators(b"bukan xlsx", by).errors == [
        "Berkas bukan XLSX (Excel 2007 ke atas). Gunakan templat .xlsx yang disediakan."
    ]
    errors = import_operators(xlsx([["x"]], headers=["Nama", "Nama", "Kecamatan"]), by).errors
    assert any(e.startswith("Baris 1, kolom Kecamatan: judul kolom tidak dikenal") for e in errors)
    assert "Baris 1, kolom Nama: judul kolom muncul lebih dari sekali." in errors
    assert "Baris 1, kolom Jabatan: kolom wajib tidak ada." in errors
    assert "Baris 1, kolom Kode Wilayah: kolom wajib tidak ada." in errors
    assert import_operators(xlsx([]), by).errors == [
        "Berkas tidak berisi baris data (baris 2 dan seterusnya kosong)."
    ]
    assert import_operators(xlsx([], headers=[]), by).errors[0].startswith("Baris 1:")
    assert _count(db) == 0


def test_import_page_shows_errors_and_imports_nothing(app, client, login, users, db):
    app.config["WTF_CSRF_ENABLED"] = False
    login(users["petugas"])
    data = xlsx([["Baik", None, "Operator", "35.11.05", None, None],
                 ["Buruk", None, "Operator", "36.73.05", None, None]])  # fmt: skip
    resp = client.post(
        "/pelatihan/operator/impor",
        data={"file": (io.BytesIO(data), "op.xlsx")},
        content_type="multipart/form-data",
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Tidak ada yang diimpor" in html
    assert "Baris 3, kolom Kode Wilayah: Wilayah 36.73.05 di luar cakupan wilayah Anda." in html
    assert _count(db) == 0
    resp = client.post("/pelatihan/operator/impor", data={}, content_type="multipart/form-data")
    assert "Pilih berkas XLSX." in resp.get_data(as_text=True)


def test_template_round_trip(app, client, login, users, db):
    login(users["petugas"])
    resp = client.get("/pelatihan/operator/templat.xlsx")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == [
        "Nama",
        "Jabatan",
        "Kode Wilayah",
        "NIP",
        "Telepon",
        "Aktif",
    ]
    assert ws["D2"].number_format == "@"  # NIP keeps its 18 digits
    assert "Petunjuk" in wb.sheetnames
    # Filled in as a user would, the template imports.
    ws.append(["Rina Kusuma", "Operator", "35.11.05", "198703122010012003", "0812345678", "Ya"])
    buf = io.BytesIO()
    wb.save(buf)
    result = import_operators(buf.getvalue(), users["petugas"])
    assert result.ok and result.created == 1
