"""Issue 13: a hearing packet is a draft until a kadis other than its preparer checks and
approves it (four eyes); the archive shows and filters draft vs approved, the kadis's inbox
lists the packets waiting, the public verification page says which. The cover names who
compiled it (person, role, unit); a DPRD account's packet says the DPRD made it from the
Dinas's data; a CLI run says so plainly or names `--by USERNAME`."""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
import time_machine
from pypdf import PdfReader

from assets_app.common.formatting import WIB
from assets_app.extensions import db
from assets_app.hearing import services
from assets_app.hearing.models import HearingApproval, HearingReport
from tests.factories import make_user

NOW = datetime(2026, 7, 2, 9, 0, tzinfo=WIB)
START, END = "2026-06-01", "2026-06-30"
DINAS = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bondowoso"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _packet(user, region="35.11"):
    from datetime import date

    generated = services.generate_packet(
        user, region, date(2026, 6, 1), date(2026, 6, 30), base_url="https://aset.example.go.id"
    )
    db.session.commit()
    return generated


def _cover(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", PdfReader(BytesIO(pdf)).pages[0].extract_text())


def _post(app, client, path):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        return client.post(path)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def _inbox_count(client) -> int | None:
    page = client.get("/perlu-tindakan").get_data(as_text=True)
    found = re.search(r"Paket RDP menunggu persetujuan\D*?(\d+)", page, re.S)
    return int(found.group(1)) if found else None


def test_a_kadis_approves_a_packet_prepared_by_a_petugas(app, users, client, login):
    report = _packet(users["petugas"]).report
    public = client.get(f"/verifikasi/{report.token}").get_data(as_text=True)
    assert "Draf, belum disetujui" in public and "Disetujui oleh" not in public

    login(users["kadis"])
    assert _inbox_count(client) == 1
    archive = client.get("/laporan/rdp?status=draf").get_data(as_text=True)
    assert f'data-report="{report.id}"' in archive
    assert f'data-report="{report.id}"' not in client.get("/laporan/rdp?status=disetujui").get_data(
        as_text=True
    )
    page = client.get(f"/laporan/rdp/{report.id}").get_data(as_text=True)
    assert "Draf, belum disetujui" in page and "Setujui paket" in page and "data-confirm" in page
    assert f"Pengguna petugas, Petugas Aset, {DINAS}" in page

    resp = _post(app, client, f"/laporan/rdp/{report.id}/setujui")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(
        f"/laporan/rdp/{report.id}"
    )
    [approval] = db.session.scalars(sa.select(HearingApproval)).all()
    assert (approval.report_id, approval.approved_by_id) == (report.id, users["kadis"].id)
    assert approval.approved_by_role == f"Kepala Dinas, {DINAS}"
    page = client.get(f"/laporan/rdp/{report.id}").get_data(as_text=True)
    assert "Disetujui" in page and "Setujui paket" not in page
    assert _inbox_count(client) == 0
    assert f'data-report="{report.id}"' in client.get("/laporan/rdp?status=disetujui").get_data(
        as_text=True
    )
    public = client.get(f"/verifikasi/{report.token}").get_data(as_text=True)
    assert "Disetujui oleh Pengguna kadis (Kepala Dinas" in public
    assert "2 Juli 2026" in public and "Draf, belum disetujui" not in public

    again = _post(app, client, f"/laporan/rdp/{report.id}/setujui")
    assert again.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HearingApproval)) == 1


def test_the_preparer_never_approves_their_own_packet(app, users, client, login):
    report = _packet(users["kadis"]).report
    login(users["kadis"])
    assert _inbox_count(client) == 0  # own packet: not waiting for *this* kadis
    page = client.get(f"/laporan/rdp/{report.id}").get_data(as_text=True)
    assert "persetujuan harus oleh pejabat lain" in page and "Setujui paket" not in page
    resp = _post(app, client, f"/laporan/rdp/{report.id}/setujui")
    assert resp.status_code == 403  # as a blanko write-off: four eyes
    assert "bukan penyusunnya sendiri" in resp.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HearingApproval)) == 0

    other = make_user("kadis", "35.11", username="kadis.plt", name="Plt. Kepala Dinas")
    login(other)
    assert _inbox_count(client) == 1
    assert _post(app, client, f"/laporan/rdp/{report.id}/setujui").status_code == 302
    assert db.session.scalar(sa.select(HearingApproval.approved_by_id)) == other.id


def test_only_a_kadis_in_scope_approves(app, users, client, login):
    report = _packet(users["petugas"]).report
    for role in ("petugas", "dprd", "admin"):
        login(users[role])
        assert _post(app, client, f"/laporan/rdp/{report.id}/setujui").status_code == 403, role
        assert _inbox_count(client) is None, role
    serang = make_user("kadis", "36.73", username="kadis.serang")
    login(serang)
    assert _post(app, client, f"/laporan/rdp/{report.id}/setujui").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HearingApproval)) == 0


def test_cover_names_the_person_role_and_unit(users):
    generated = _packet(users["petugas"])
    cover = _cover(generated.pdf)
    assert f"Disusun oleh Pengguna petugas, Petugas Aset, {DINAS}" in cover
    assert "Sistem (perintah flask)" not in cover
    sheet = openpyxl.load_workbook(BytesIO(generated.xlsx)).worksheets[0]
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert f"Pengguna petugas, Petugas Aset, {DINAS}" in cells


def test_a_dprd_packet_says_it_was_made_by_the_dprd_from_the_dinas_data(users):
    generated = _packet(users["dprd"])
    cover = _cover(generated.pdf)
    assert (
        f"Dibuat oleh Komisi I DPRD Kabupaten Bondowoso (Pengguna dprd) dari data {DINAS}" in cover
    )
    assert "Disusun oleh" not in cover
    assert generated.report.options["author_label"] == "Dibuat oleh"


def _cli(runner, tmp_path, *extra):
    return runner.invoke(
        args=[
            "reports",
            "hearing",
            "--region",
            "35.11",
            "--from",
            START,
            "--to",
            END,
            "--out-dir",
            str(tmp_path),
            *extra,
        ]
    )


def test_cli_says_operator_server_or_names_by_user(users, runner, tmp_path):
    plain = _cli(runner, tmp_path / "a")
    assert plain.exit_code == 0, plain.output
    [pdf] = Path(tmp_path / "a").glob("*.pdf")
    cover = _cover(pdf.read_bytes())
    assert "Disusun oleh disusun dengan perintah flask oleh operator server" in cover
    assert "Sistem (perintah flask)" not in cover

    named = _cli(runner, tmp_path / "b", "--by", "petugas")
    assert named.exit_code == 0, named.output
    [pdf] = Path(tmp_path / "b").glob("*.pdf")
    assert f"Disusun oleh Pengguna petugas, Petugas Aset, {DINAS}" in _cover(pdf.read_bytes())
    report = db.session.scalars(sa.select(HearingReport).order_by(HearingReport.id)).all()[-1]
    assert report.author_id == users["petugas"].id

    count = db.session.scalar(sa.select(sa.func.count()).select_from(HearingReport))
    unknown = _cli(runner, tmp_path / "c", "--by", "tidak.ada")
    assert unknown.exit_code == 1 and "Pengguna tidak.ada tidak dikenal" in unknown.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HearingReport)) == count
    assert not list(Path(tmp_path / "c").glob("*.pdf"))
