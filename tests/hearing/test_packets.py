"""Packets: generate (web, CLI), archive with SHA-256, download, verify (CLI, public page), API."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from io import BytesIO
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from assets_app.extensions import db
from assets_app.hearing import queries, services
from assets_app.hearing.models import HearingReport
from reports.hearing_data import CONTRACT_METRICS
from tests.hearing.helpers import make_asset, make_report


def _archived() -> list[HearingReport]:
    return list(db.session.scalars(sa.select(HearingReport).order_by(HearingReport.id)))


def _archive_files() -> list[Path]:
    root = Path(current_app.instance_path) / "reports" / "hearing"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _clear_archive_files():
    for path in _archive_files():
        path.unlink()


def test_generate_archives_both_files_with_their_hashes(app, users):
    _clear_archive_files()
    make_asset("35.11.05", price=49_990_000, status="tidak_digunakan", name="Printer kartu")
    result = services.generate_packet(
        users["petugas"],
        "35.11",
        date(2026, 1, 1),
        date(2026, 6, 30),
        base_url="https://aset.example",
    )
    db.session.commit()
    report = result.report
    assert report.author_name == users["petugas"].name
    assert report.options["verify_url"] == f"https://aset.example/verifikasi/{report.token}"
    for kind, data in (("pdf", result.pdf), ("xlsx", result.xlsx)):
        stored = services.file_path(report, kind).read_bytes()
        assert stored == data
        assert report.sha256(kind) == hashlib.sha256(data).hexdigest()
        assert report.size(kind) == len(data)
    assert queries.find_by_hash(report.xlsx_sha256) == (report, "xlsx")


def test_cli_hearing_writes_prints_and_verifies(app, users, runner, tmp_path):
    _clear_archive_files()
    make_asset("35.11.05", price=12_500_000)
    out = tmp_path / "paket"
    result = runner.invoke(
        args=[
            "reports",
            "hearing",
            "--region",
            "35.11",
            "--from",
            "2026-01-01",
            "--to",
            "2026-06-30",
            "--out-dir",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    pairs = re.findall(r"^(\S+\.(?:pdf|xlsx))  SHA-256 ([0-9a-f]{64})$", result.output, re.M)
    assert [Path(p).suffix for p, _ in pairs] == [".pdf", ".xlsx"]
    for path, digest in pairs:
        assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == digest
    [report] = _archived()
    assert report.author_name == "operator server (perintah flask)"
    assert report.pdf_sha256 == pairs[0][1] and report.xlsx_sha256 == pairs[1][1]

    pdf = Path(pairs[0][0])
    ok = runner.invoke(args=["reports", "verify", str(pdf)])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("cocok: ")
    assert f"berkas PDF paket laporan RDP #{report.id}" in ok.output
    assert "Kabupaten Bondowoso (35.11)" in ok.output

    changed = tmp_path / "ubah.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01  # one byte
    changed.write_bytes(bytes(data))
    bad = runner.invoke(args=["reports", "verify", str(changed)])
    assert bad.exit_code == 1
    assert "tidak cocok" in bad.output

    missing = runner.invoke(args=["reports", "verify", str(tmp_path / "tidak-ada.pdf")])
    assert missing.exit_code == 1
    assert "tidak ditemukan" in missing.output


def test_cli_hearing_rejects_bad_options_and_writes_nothing(app, regions, runner, tmp_path):
    _clear_archive_files()
    out = tmp_path / "paket"
    result = runner.invoke(
        args=["reports", "hearing", "--region", "99.99", "--from", "2026-02-30"]
        + ["--to", "2026-01-01", "--out-dir", str(out)]
    )
    assert result.exit_code == 1
    assert "Wilayah 99.99 tidak dikenal" in result.output
    assert "Tanggal mulai tidak valid" in result.output
    reverse = runner.invoke(
        args=["reports", "hearing", "--region", "35.11", "--from", "2026-03-01"]
        + ["--to", "2026-01-01", "--out-dir", str(out)]
    )
    assert reverse.exit_code == 1
    assert "tidak boleh sebelum" in reverse.output
    missing = runner.invoke(args=["reports", "hearing", "--region", "35.11"])
    assert missing.exit_code == 2
    assert "--from, --to, --out-dir" in missing.output
    assert _archived() == []
    assert _archive_files() == []
    assert not out.exists() or not any(out.iterdir())


def test_cli_out_dir_that_is_a_file_is_refused(app, regions, runner, tmp_path):
    blocker = tmp_path / "berkas"
    blocker.write_text("x")
    result = runner.invoke(
        args=["reports", "hearing", "--region", "35.11", "--from", "2026-01-01"]
        + ["--to", "2026-01-31", "--out-dir", str(blocker)]
    )
    assert result.exit_code == 1
    assert "bukan folder" in result.output
    assert _archived() == []


def test_dprd_generates_and_downloads_within_scope(app, users, client, login):
    _clear_archive_files()
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        login(users["dprd"])
        resp = client.post(
            "/laporan/rdp/baru",
            data={"region": "35.11.05", "start": "2026-01-01", "end": "2026-03-31"},
        )
        assert resp.status_code == 302
        [report] = _archived()
        assert report.author_id == users["dprd"].id and report.region_code == "35.11.05"
        listing = client.get("/laporan/rdp").get_data(as_text=True)
        assert f"/laporan/rdp/{report.id}/pdf" in listing
        pdf = client.get(f"/laporan/rdp/{report.id}/pdf")
        assert pdf.status_code == 200
        assert pdf.mimetype == "application/pdf"
        assert hashlib.sha256(pdf.data).hexdigest() == report.pdf_sha256
        # outside the scope: form error, nothing archived
        resp = client.post(
            "/laporan/rdp/baru",
            data={"region": "36.73", "start": "2026-01-01", "end": "2026-03-31"},
        )
        assert resp.status_code == 200
        page = resp.get_data(as_text=True)
        assert "Wilayah 36.73 tidak dikenal atau di luar cakupan Anda." in page
        assert 'value="2026-03-31"' in page  # what the user typed stays
        resp = client.post("/laporan/rdp/baru", data={"region": "", "start": "x", "end": ""})
        page = resp.get_data(as_text=True)
        assert "Wilayah wajib diisi." in page and "Tanggal selesai wajib diisi." in page
        assert len(_archived()) == 1
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_public_page_shows_hashes_and_checks_uploads(app, users, client):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        report = make_report("35.11", pdf=b"%PDF-asli", xlsx=b"PK-asli")
        page = client.get(f"/verifikasi/{report.token}").get_data(as_text=True)
        assert report.pdf_sha256 in page and report.xlsx_sha256 in page
        assert "Wilayah 35.11" in page and "1 Januari 2026 s.d. 30 Juni 2026" in page

        def upload(data: bytes, url=f"/verifikasi/{report.token}"):
            resp = client.post(url, data={"file": (BytesIO(data), "x.pdf")})
            assert resp.status_code == 200
            return resp.get_data(as_text=True)

        assert "Cocok: berkas yang diunggah sama persis dengan berkas XLSX" in upload(b"PK-asli")
        assert "Tidak cocok" in upload(b"%PDF-aslI")
        assert "Pilih berkas PDF atau XLSX" in client.post(
            f"/verifikasi/{report.token}", data={}
        ).get_data(as_text=True)
        found = upload(b"%PDF-asli", url="/verifikasi/")
        assert f"paket laporan RDP #{report.id}" in found
        assert "Tidak cocok" in upload(b"lain", url="/verifikasi/")
        assert client.get("/verifikasi/token-yang-tidak-ada").status_code == 404
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_api_summary_shape_and_errors(app, users, client, api_token):
    make_asset("35.11.05", price=10_000_000)
    make_asset("36.73.05", price=20_000_000)
    headers = api_token(users["dprd"])
    resp = client.get("/api/v1/reports/summary?from=2026-01-01&to=2026-06-30", headers=headers)
    assert resp.status_code == 200
    body = resp.get_json()
    assert set(CONTRACT_METRICS) <= set(body["total"])
    assert body["region"] == "35.11" and body["from"] == "2026-01-01"
    assert body["total"]["assets_count"] == 1 and body["total"]["assets_value"] == 10_000_000
    assert len([k for k in body["kecamatan"] if k["level"] == "kecamatan"]) == 23
    for row in body["kecamatan"]:
        assert set(CONTRACT_METRICS) <= set(row) and row["region_code"].startswith("35.11")
    pujer = next(k for k in body["kecamatan"] if k["region_code"] == "35.11.05")
    assert pujer["assets_count"] == 1 and pujer["can_record_today"] is True
    assert isinstance(pujer["downtime_by_party"], dict)

    out = client.get("/api/v1/reports/summary?region=36.73", headers=headers)
    assert out.status_code == 404 and "region" in out.get_json()["errors"]
    bad = client.get("/api/v1/reports/summary?from=2026-13-01&to=2026-01-01", headers=headers)
    assert bad.status_code == 422 and "from" in bad.get_json()["errors"]
    assert client.get("/api/v1/reports/summary").status_code == 401
    camat = client.get(
        "/api/v1/reports/summary?region=35.11.05", headers=api_token(users["camat"])
    ).get_json()
    assert [k["region_code"] for k in camat["kecamatan"]] == ["35.11.05"]
