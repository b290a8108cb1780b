"""Operators, sessions, attendance and the gap page, through the web as users do it."""

import io
import zipfile
from datetime import date

import sqlalchemy as sa

from assets_app.training.models import Attendance, Operator, Training
from tests.querycount import count_queries
from tests.training.factories import (
    attend,
    bulk_kecamatan,
    make_asset,
    make_operator,
    make_training,
)

PUJER = "35.11.05"


def _nocsrf(app):
    app.config["WTF_CSRF_ENABLED"] = False


# --- operators ------------------------------------------------------------------------------


def test_petugas_creates_edits_and_deactivates_an_operator(app, client, login, users, db):
    _nocsrf(app)
    login(users["petugas"])
    resp = client.post(
        "/pelatihan/operator/baru",
        data={"name": "  Siti   Aminah ", "nip": "1987 0312 2010 0120 03", "position": "Operator",
              "region_code": PUJER, "phone": "081234567890"},
    )  # fmt: skip
    assert resp.status_code == 302
    op = db.session.scalar(sa.select(Operator))
    assert (op.name, op.nip, op.region_code, op.active) == (
        "Siti Aminah",
        "198703122010012003",
        PUJER,
        True,
    )
    resp = client.post(
        f"/pelatihan/operator/{op.id}/ubah",
        data={"name": "Siti Aminah", "nip": "", "position": "Operator Cetak",
              "region_code": "35.11.06", "phone": "", "active": "y"},
    )  # fmt: skip
    assert resp.status_code == 302
    db.session.refresh(op)
    assert (op.position, op.region_code, op.nip) == ("Operator Cetak", "35.11.06", None)
    assert client.post(f"/pelatihan/operator/{op.id}/status").status_code == 302
    db.session.refresh(op)
    assert op.active is False
    # Deactivated operators leave the default list but stay in "semua".
    link = ">Siti Aminah</a>"
    assert link not in client.get("/pelatihan/operator").get_data(as_text=True)
    assert link in client.get("/pelatihan/operator?status=semua").get_data(as_text=True)


def test_operator_form_explains_errors_and_keeps_input(app, client, login, users, db):
    _nocsrf(app)
    make_operator(PUJER, nip="198703122010012003")
    login(users["petugas"])
    resp = client.post(
        "/pelatihan/operator/baru",
        data={"name": "Budi Tulus", "nip": "198703122010012003", "position": "",
              "region_code": "36.73.05", "phone": "12ab"},
    )  # fmt: skip
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Jabatan wajib diisi." in html
    assert "Nomor telepon harus diawali 0 atau +62" in html
    assert "Wilayah 36.73.05 di luar cakupan wilayah Anda." in html
    assert 'value="Budi Tulus"' in html and 'value="12ab"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Operator)) == 1
    resp = client.post(
        "/pelatihan/operator/baru",
        data={"name": "Budi Tulus", "nip": "198703122010012003", "position": "Operator",
              "region_code": PUJER, "phone": ""},
    )  # fmt: skip
    assert "sudah terdaftar untuk operator lain" in resp.get_data(as_text=True)
    # A kelurahan is not a place an operator is registered at.
    resp = client.post(
        "/pelatihan/operator/baru",
        data={"name": "Budi", "position": "Operator", "region_code": "35.11.05.2001"},
    )
    assert "harus kecamatan" in resp.get_data(as_text=True)


def test_camat_sees_only_own_kecamatan_and_dprd_no_personal_data(app, client, login, users):
    make_operator(PUJER, "Ani Pujer", nip="198703122010012003", phone="081111111111")
    make_operator("35.11.06", "Bayu Grujugan")
    make_operator("36.73.05", "Cici Serang")
    login(users["camat"])
    html = client.get("/pelatihan/operator").get_data(as_text=True)
    assert "Ani Pujer" in html and "Bayu Grujugan" not in html and "Cici Serang" not in html
    assert "198703122010012003" in html
    login(users["dprd"])
    html = client.get("/pelatihan/operator").get_data(as_text=True)
    assert "Ani Pujer" in html and "Bayu Grujugan" in html and "Cici Serang" not in html
    assert "198703122010012003" not in html and "081111111111" not in html
    assert "Tambah operator" not in html


def test_operator_list_filters_and_is_one_page_of_queries(app, client, login, users, db):
    for i in range(30):
        op = make_operator(PUJER if i % 2 else "35.11.06", f"Operator {i:02d}")
        if i % 3 == 0:
            attend(make_training(("perekaman",), ends_on=date(2026, 1, 15)), op)
    login(users["petugas"])
    with count_queries(db.engine) as q:
        html = client.get("/pelatihan/operator?per_page=50").get_data(as_text=True)
    assert html.count("/pelatihan/operator/") >= 30
    assert len(q) <= 9, q  # + the inbox: is today a working day (one query)
    html = client.get(f"/pelatihan/operator?region={PUJER}&sertifikat=ya").get_data(as_text=True)
    names = {f"Operator {i:02d}" for i in range(30) if i % 2 and i % 3 == 0}
    assert all(n in html for n in names)
    assert "Operator 02" not in html and "Operator 01" not in html


# --- sessions and attendance ---------------------------------------------------------------


def _pdf():
    return b"%PDF-1.4\n% materi\n%%EOF\n"


def _docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:  # fixed timestamps: the same bytes every call
        zf.writestr(zipfile.ZipInfo("[Content_Types].xml", (2026, 1, 1, 0, 0, 0)), "<Types/>")
        zf.writestr(zipfile.ZipInfo("word/document.xml", (2026, 1, 1, 0, 0, 0)), "<w:document/>")
    return buf.getvalue()


def test_create_session_with_materials_and_content_type_check(app, client, login, users, db):
    _nocsrf(app)
    login(users["petugas"])
    base = {"title": "Bimtek Cetak KK", "topics": ["cetak_kk", "cetak_ktp"],
            "starts_on": "2026-01-13", "ends_on": "2026-01-15", "place": "Aula",
            "organiser": "dinas", "region_code": "35.11"}  # fmt: skip
    # An executable renamed to .pdf is refused, nothing is saved, the form keeps its values.
    resp = client.post(
        "/pelatihan/baru",
        data={
            **base,
            "materials": (io.BytesIO(b"MZ\x90\x00evil"), "materi.pdf", "application/pdf"),
        },
        content_type="multipart/form-data",
    )
    html = resp.get_data(as_text=True)
    assert "Isi berkas bukan PDF yang sah." in html and 'value="Bimtek Cetak KK"' in html
    resp = client.post(
        "/pelatihan/baru",
        data={**base, "materials": (io.BytesIO(_pdf()), "materi.exe", "application/pdf")},
        content_type="multipart/form-data",
    )
    assert "Materi harus berkas PDF, DOCX, PPTX atau XLSX." in resp.get_data(as_text=True)
    resp = client.post(
        "/pelatihan/baru",
        data={**base, "materials": (io.BytesIO(_docx()), "materi.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )
    assert "Isi berkas bukan PDF yang sah." in resp.get_data(as_text=True)
    resp = client.post(
        "/pelatihan/baru",
        data={**base, "materials": (io.BytesIO(_docx()), "materi.docx", "image/png")},
        content_type="multipart/form-data",
    )
    assert "tidak sesuai dengan ekstensi .docx" in resp.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Training)) == 0
    resp = client.post(
        "/pelatihan/baru",
        data={**base, "materials": (io.BytesIO(_docx()), "Modul Cetak KK.docx",
                                    "application/octet-stream")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert resp.status_code == 302
    training = db.session.scalar(sa.select(Training))
    assert training.topics == ["cetak_ktp", "cetak_kk"]
    assert training.materials_type.endswith("wordprocessingml.document")
    dl = client.get(f"/pelatihan/{training.id}/materi")
    assert dl.status_code == 200 and dl.data == _docx()
    assert "Modul Cetak KK.docx" in dl.headers["Content-Disposition"]


def test_session_form_errors(app, client, login, users):
    _nocsrf(app)
    login(users["petugas"])
    resp = client.post(
        "/pelatihan/baru",
        data={"title": "", "topics": ["pendukung"], "starts_on": "2026-02-30",
              "ends_on": "", "place": "", "organiser": "bupati", "region_code": "36.73"},
    )  # fmt: skip
    html = resp.get_data(as_text=True)
    for msg in (
        "Judul pelatihan wajib diisi.",
        "Materi &#39;pendukung&#39; tidak dikenal",
        "Tanggal mulai tidak valid (format YYYY-MM-DD).",
        "Tempat wajib diisi.",
        "Penyelenggara harus salah satu dari",
        "di luar cakupan wilayah Anda",
    ):
        assert msg in html, msg
    resp = client.post(
        "/pelatihan/baru",
        data={"title": "X", "topics": ["cetak_kk"], "starts_on": "2026-02-10",
              "ends_on": "2026-02-01", "place": "Aula", "organiser": "dinas",
              "region_code": "35.11"},
    )  # fmt: skip
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in resp.get_data(as_text=True)


def test_recording_passing_attendees_removes_the_gap_on_page_and_api(
    app, client, login, users, db, api_token
):
    _nocsrf(app)
    make_asset(PUJER, "cetak_kk")
    ani = make_operator(PUJER, "Ani Lulus")
    budi = make_operator(PUJER, "Budi Belum")
    training = make_training(("cetak_kk",), ends_on=date(2026, 1, 15))
    headers = api_token(users["petugas"])
    api = client.get(f"/api/v1/training-gaps?region={PUJER}", headers=headers).get_json()
    assert [(g["category"], g["status"]) for g in api] == [("cetak_kk", "red")]
    login(users["petugas"])
    page = client.get("/pelatihan/kesenjangan").get_data(as_text=True)
    assert 'data-status="red"' in page

    resp = client.post(
        f"/pelatihan/{training.id}/peserta",
        data={"operator_id": str(budi.id), "present": "y", "score": "40"},
    )
    assert resp.status_code == 302
    resp = client.post(
        f"/pelatihan/{training.id}/peserta",
        data={"operator_id": str(ani.id), "present": "y", "passed": "y", "score": "88"},
    )
    assert resp.status_code == 302
    detail = client.get(f"/pelatihan/{training.id}").get_data(as_text=True)
    att = db.session.scalar(sa.select(Attendance).where(Attendance.operator_id == ani.id))
    assert att.certificate_no.startswith("SERT/2026/") and att.certificate_no in detail
    page = client.get("/pelatihan/kesenjangan").get_data(as_text=True)
    assert 'data-status="red"' not in page and 'data-status="ok"' in page
    api = client.get(f"/api/v1/training-gaps?region={PUJER}", headers=headers).get_json()
    assert [(g["category"], g["status"], g["valid_operators"]) for g in api] == [
        ("cetak_kk", "ok", 1)
    ]
    # Budi's row, updated inline, passes too.
    b_att = db.session.scalar(sa.select(Attendance).where(Attendance.operator_id == budi.id))
    resp = client.post(
        f"/pelatihan/{training.id}/peserta/{b_att.id}",
        data={f"a{b_att.id}-present": "y", f"a{b_att.id}-passed": "y", f"a{b_att.id}-score": "71"},
    )
    assert resp.status_code == 302
    db.session.refresh(b_att)
    assert b_att.passed and b_att.score == 71 and b_att.certificate_no != att.certificate_no


def test_attendance_rules(app, client, login, users, db):
    _nocsrf(app)
    ani = make_operator(PUJER, "Ani")
    serang = make_operator("36.73.05", "Serang")
    future = make_training(("cetak_kk",), ends_on=date(2099, 1, 1))
    past = make_training(("cetak_kk",), ends_on=date(2026, 1, 15))
    login(users["petugas"])

    def post(training, **data):
        resp = client.post(f"/pelatihan/{training.id}/peserta", data=data)
        return resp.status_code, resp.get_data(as_text=True)

    status, html = post(past, operator_id=str(ani.id), passed="y")
    assert status == 422 and "Peserta yang tidak hadir tidak dapat lulus." in html
    status, html = post(past, operator_id=str(ani.id), present="y", score="150")
    assert status == 422 and "Nilai harus antara 0 dan 100." in html
    status, html = post(past, operator_id=str(ani.id), present="y", score="tujuh")
    assert "Nilai harus bilangan bulat 0–100." in html
    status, html = post(past, operator_id=str(serang.id), present="y")
    assert "Operator tidak ditemukan dalam cakupan wilayah Anda." in html
    status, html = post(future, operator_id=str(ani.id), present="y", passed="y")
    assert "Pelatihan belum dimulai" in html and "Pelatihan belum selesai" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_certificate_numbers_are_sequential_and_unique(regions, db):
    from assets_app.training.settings import validity_months

    t = make_training(("cetak_kk", "perekaman"), ends_on=date(2026, 1, 15))
    nums = [attend(t, make_operator(PUJER)).certificate_no for _ in range(3)]
    old = attend(make_training(("server",), ends_on=date(2025, 6, 1)), make_operator("35.11"))
    assert nums == ["SERT/2026/000001", "SERT/2026/000002", "SERT/2026/000003"]
    assert old.certificate_no == "SERT/2025/000001"
    assert validity_months()["cetak_kk"] == 24


def test_validity_setting_applies_to_new_certificates(app, client, login, users, db):
    _nocsrf(app)
    t1 = make_training(("cetak_kk", "jaringan"), ends_on=date(2026, 1, 15))
    before = attend(t1, make_operator(PUJER))
    login(users["admin"])
    data = {"perekaman": "24", "cetak_ktp": "24", "cetak_kk": "36", "jaringan": "12",
            "server": "24"}  # fmt: skip
    resp = client.post("/pelatihan/pengaturan", data={**data, "server": "0"})
    assert "Masa berlaku harus antara 1 dan 120 bulan." in resp.get_data(as_text=True)
    assert client.post("/pelatihan/pengaturan", data=data).status_code == 302
    after = attend(t1, make_operator(PUJER))
    db.session.refresh(before)
    from assets_app.extensions import db as _db

    rows = dict(
        _db.session.execute(
            sa.text("SELECT topic, valid_until FROM certificate_topics WHERE attendance_id = :a"),
            {"a": after.id},
        ).all()
    )
    assert str(rows["cetak_kk"]) == "2029-01-14" and str(rows["jaringan"]) == "2027-01-14"
    assert before.valid_until == date(2028, 1, 14)  # issued before: unchanged
    assert after.valid_until == date(2029, 1, 14)


def test_session_topics_frozen_once_certificates_exist(app, client, login, users, db):
    _nocsrf(app)
    training = make_training(("cetak_kk",), ends_on=date(2026, 1, 15), title="Sesi A")
    attend(training, make_operator(PUJER))
    login(users["petugas"])
    data = {"title": "Sesi A (revisi)", "topics": ["cetak_kk", "server"],
            "starts_on": "2026-01-15", "ends_on": "2026-01-15", "place": "Aula Baru",
            "organiser": "vendor", "region_code": "35.11"}  # fmt: skip
    resp = client.post(f"/pelatihan/{training.id}/ubah", data=data)
    assert "materi dan tanggal tidak dapat diubah lagi" in resp.get_data(as_text=True)
    resp = client.post(f"/pelatihan/{training.id}/ubah", data={**data, "topics": ["cetak_kk"]})
    assert resp.status_code == 302
    db.session.refresh(training)
    assert (training.title, training.place, training.organiser) == (
        "Sesi A (revisi)",
        "Aula Baru",
        "vendor",
    )


# --- gap page -------------------------------------------------------------------------------


def test_gap_page_lists(app, client, login, users):
    make_asset(PUJER, "cetak_kk")
    make_asset("35.11.06", "cetak_kk")
    op = make_operator("35.11.06", "Citra Segera")
    attend(make_training(("cetak_kk",), ends_on=date(2024, 12, 20)), op)  # ends 19 Dec 2026
    login(users["kadis"])
    html = client.get("/pelatihan/kesenjangan").get_data(as_text=True)
    assert "Kec. Pujer" in html and 'data-status="red"' in html and 'data-status="amber"' in html
    assert "Citra Segera" in html  # expiring list
    plan = client.get("/pelatihan/kesenjangan/rencana?topic=cetak_kk").get_data(as_text=True)
    assert "belum ada operator" in plan and "Citra Segera" in plan
    exp = client.get("/pelatihan/kesenjangan/segera-berakhir?hari=365").get_data(as_text=True)
    assert "Citra Segera" in exp


def test_a_kabkota_matrix_on_one_page_says_what_the_sql_overview_says(app, users):
    """The one-query path of a kab/kota that fits on a page: the same cells, totals, rows
    and regions with gaps as the paginated path's SQL overview."""
    from assets_app.training import gaps

    make_asset(PUJER, "cetak_kk")
    make_asset(PUJER, "perekaman")
    make_asset("35.11.06", "cetak_kk")
    make_asset("35.11", "server")
    op = make_operator("35.11.06", "Citra Segera")
    attend(make_training(("cetak_kk",), ends_on=date(2024, 12, 20)), op)
    today = date(2026, 11, 25)
    for user in (users["petugas"], users["admin"]):
        area = None if user.region_code else "35.11"
        page, gap_list, overview, plan = gaps.matrix_page(user, area, today, 1, 50)
        assert overview == gaps.gap_overview(user, area, today)
        assert plan == gaps.plan_summary(user, area, today)
        assert overview["regions"] == 3 and overview["totals"]["red"] == 3
        assert [m["code"] for m in page.items] == ["35.11", PUJER, "35.11.06"]
        cells = gaps.training_gaps(user, area, today)
        assert sum(len(m["cells"]) for m in page.items) == len(cells)
        assert {m["code"] for m, _ in gap_list} == {"35.11", PUJER}


def test_gap_matrix_page_query_count_with_200_kecamatan(app, client, login, users, db):
    bulk_kecamatan(db)
    make_asset(PUJER, "cetak_kk")
    login(users["admin"])
    with count_queries(db.engine) as q:
        resp = client.get("/pelatihan/kesenjangan?region=99&per_page=200")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert html.count("<tr data-region=") == 200
    assert html.count('data-status="red"') == 400
    small = len(q)
    # the matrix: its overview (counted in SQL), its page of regions, their cells
    assert small <= 12, q
    first = client.get("/pelatihan/kesenjangan?region=99").get_data(as_text=True)
    assert first.count("<tr data-region=") == 50 and "halaman 1 dari 4" in first
    with count_queries(db.engine) as q:
        client.get(f"/pelatihan/kesenjangan?region={PUJER}")
    # as many queries for 1 kecamatan as for 200: a kab/kota or less that fits on one page is
    # one query of its cells (its overview counted from them) and one of its plan; a larger
    # area, its overview and plan in one query, its page of regions, their cells
    assert len(q) == small


def test_region_panel_shows_operators_and_gaps(app, client, login, users):
    make_asset(PUJER, "cetak_kk")
    make_asset(PUJER, "perekaman")
    op = make_operator(PUJER, "Dewi Perekam")
    attend(make_training(("perekaman",), ends_on=date(2026, 1, 15)), op)
    login(users["camat"])
    html = client.get(f"/wilayah/{PUJER}").get_data(as_text=True)
    assert "Operator &amp; pelatihan" in html
    assert "Dewi Perekam" in html
    assert "tidak ada operator terlatih" in html  # cetak_kk
    assert "Tambah operator" not in html


def test_lists_paginate(app, client, login, users, db):
    make_asset(PUJER, "cetak_kk")
    make_asset(PUJER, "perekaman")  # nobody trained: 12 operators to invite
    ops = [make_operator(PUJER, f"Operator {i:02d}") for i in range(12)]
    for i in range(12):
        t = make_training(("cetak_kk",), ends_on=date(2025, 6, 1 + i))
        attend(t, ops[i])
    login(users["petugas"])
    for url in (
        "/pelatihan/operator?per_page=5",
        "/pelatihan/?per_page=5",
        "/pelatihan/kesenjangan/rencana?per_page=5",
        "/pelatihan/kesenjangan/segera-berakhir?per_page=5&hari=365",
    ):
        first = client.get(url)
        assert first.status_code == 200, url
        assert "halaman 1 dari 3" in first.get_data(as_text=True), url
        second = client.get(url + "&page=3").get_data(as_text=True)
        assert "halaman 3 dari 3" in second, url


def test_session_attendees_paginate_with_bounded_queries(app, client, login, users, db):
    training = make_training(("cetak_kk",), ends_on=date(2026, 1, 15))
    for i in range(60):
        attend(training, make_operator(PUJER, f"Peserta {i:02d}"), passed=i % 2 == 0)
    login(users["petugas"])
    with count_queries(db.engine) as q:
        html = client.get(f"/pelatihan/{training.id}").get_data(as_text=True)
    assert "Peserta (60)" in html and "60 hadir · 30 lulus" in html
    assert html.count('data-testid="attendee-') == 50 and "halaman 1 dari 2" in html
    assert len(q) <= 14, q  # 12 + the menu's "Perlu tindakan": its count, is today a working day
    html = client.get(f"/pelatihan/{training.id}?page=2").get_data(as_text=True)
    assert html.count('data-testid="attendee-') == 10
    assert "/peserta/" in html and "?page=2" in html


def test_gap_matrix_pages_and_counts_equal_the_whole_matrix(app, users, db):
    """Counted in SQL and built one page at a time, the matrix says what the whole matrix
    says: the same cells per status, regions and regions with a gap, page after page."""
    from assets_app.training import gaps

    bulk_kecamatan(db)
    today = date(2026, 12, 1)
    admin = users["admin"]
    whole = gaps.matrix_of(gaps.training_gaps(admin, "99", today))
    overview = gaps.gap_overview(admin, "99", today)
    assert overview["totals"] == whole["totals"] and sum(whole["totals"].values()) == 600
    assert overview["regions"] == len(whole["matrix"]) == 200
    assert overview["gap_regions"] == len(whole["gap_list"])
    plan = gaps.plan_summary(admin, "99", today)
    assert plan and gaps.gap_figures(admin, "99", today) == (overview, plan)
    pages, gap_list = [], []
    for number in (1, 2, 3):
        page, gap_part, shown_overview, shown_plan = gaps.matrix_page(
            admin, "99", today, number, 70
        )
        assert (shown_overview, shown_plan) == (overview, plan)
        assert page.total == 200 and page.page == number
        pages += page.items
        gap_list += gap_part
    assert [m["code"] for m in pages] == [m["code"] for m in whole["matrix"]]
    assert [{k: c.status for k, c in m["cells"].items()} for m in pages] == [
        {k: c.status for k, c in m["cells"].items()} for m in whole["matrix"]
    ]
    assert [m["code"] for m, _ in gap_list] == [m["code"] for m, _ in whole["gap_list"]]
    # a page past the end shows the last one
    assert gaps.matrix_page(admin, "99", today, 99, 70)[0].page == 3
