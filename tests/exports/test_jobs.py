"""Issue 19: an export above the row threshold runs as a background job — the job page and
its JSON poll, progress to the total, a download identical in content to the direct export,
scoped access (404 out of scope), failure messages, jobs a dead process left, expiry — and
below the threshold the export answers directly as before."""

from __future__ import annotations

import io
import socket
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
import time_machine

from assets_app.common.timeutil import WIB, utcnow
from assets_app.exports import services, worker
from assets_app.exports.models import DONE, EXPIRED, FAILED, QUEUED, RUNNING, ExportJob
from assets_app.extensions import db
from tests.assets.helpers import make_asset
from tests.querycount import count_queries

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=WIB)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def register(users, monkeypatch, app):
    """Six assets in Bondowoso (one with a formula-looking note), threshold 3 rows."""
    monkeypatch.setitem(app.config, "EXPORT_JOB_THRESHOLD", 3)
    for i in range(5):
        make_asset(commit=False, notes="=1+1" if i == 0 else None, unit_price=1_000_000 + i)
    make_asset(region_code="35.11.06", unit_price=7_000_000)
    return users


def _job_id(resp) -> int:
    assert resp.status_code == 303, (resp.status_code, resp.headers.get("Location"))
    assert "/ekspor/" in resp.headers["Location"]
    return int(resp.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def _finish(client, job_id: int) -> dict:
    assert worker.wait(job_id, timeout=120)
    return client.get(f"/ekspor/{job_id}/status.json").get_json()


def _values(data: bytes) -> list[list]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [[[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets]


@pytest.mark.parametrize("fmt", [None, "kib", "ebmd", "simda"])
def test_big_export_runs_as_job_and_downloads_same_content(register, login, client, app, fmt):
    query = {"format": fmt} if fmt else {}
    with time_machine.travel(NOW, tick=True):
        client = login(register["petugas"])
        resp = client.get("/aset/ekspor", query_string=query)
        job_id = _job_id(resp)
        page = client.get(f"/ekspor/{job_id}")
        assert page.status_code == 200
        assert b'data-testid="export-progress"' in page.data
        state = _finish(client, job_id)
        assert state["status"] == DONE, state
        assert state["rows_done"] == state["rows_total"] == 6
        assert state["percent"] == 100 and state["download_url"] == f"/ekspor/{job_id}/unduh"
        got = client.get(state["download_url"])
        assert got.status_code == 200
        assert state["download_name"] in got.headers["Content-Disposition"]
        app.config["EXPORT_JOB_THRESHOLD"] = 10_000  # the same export, answered directly
        direct = client.get("/aset/ekspor", query_string=query)
    assert direct.status_code == 200
    assert direct.headers["Content-Disposition"] == got.headers["Content-Disposition"]
    assert got.mimetype == direct.mimetype
    if fmt == "simda":
        assert got.data == direct.data
        assert got.data.decode("utf-8-sig").count("\r\n") == 7  # header + 6 rows
    else:
        assert got.mimetype == XLSX
        assert _values(got.data) == _values(direct.data)
    if fmt is None:  # typed cells and the quote prefix survive the job path
        ws = openpyxl.load_workbook(io.BytesIO(got.data))["KIB B"]
        rows = [r for r in ws.iter_rows(min_row=7) if isinstance(r[0].value, int)]
        assert len(rows) == 6
        note = next(r[11] for r in rows if r[11].value == "=1+1")
        assert note.data_type == "s" and note.quotePrefix
        assert rows[0][10].number_format == '"Rp"#,##0'


def test_below_threshold_answers_directly(users, login, client):
    make_asset()
    resp = login(users["petugas"]).get("/aset/ekspor")
    assert resp.status_code == 200 and resp.mimetype == XLSX
    assert db.session.scalar(sa.select(sa.func.count(ExportJob.id))) == 0


def test_progress_is_written_while_rows_stream(register, login, client, monkeypatch):
    """Every row past PROGRESS_EVERY_ROWS (no time gap) updates rows_done on its own
    transaction; the final count is the total; no query per row otherwise."""
    monkeypatch.setattr(services, "PROGRESS_EVERY_ROWS", 2)
    monkeypatch.setattr(services, "PROGRESS_EVERY_SECONDS", 0.0)
    seen = []
    real = services._update

    def spy(job_id, where, **values):
        if "rows_done" in values:
            seen.append(values["rows_done"])
        return real(job_id, where, **values)

    monkeypatch.setattr(services, "_update", spy)
    client = login(register["petugas"])
    job_id = _job_id(client.get("/aset/ekspor"))
    assert _finish(client, job_id)["status"] == DONE
    assert seen == [2, 4, 6, 6]


def test_job_run_has_no_per_row_queries(register, app):
    # run_job in this thread, so every statement it runs is counted
    job = ExportJob(
        kind="register", params={"format": None, "filter": {}}, user_id=register["admin"].id,
        status=QUEUED, rows_total=6, download_name="a.xlsx", heartbeat_at=utcnow(),
    )  # fmt: skip
    db.session.add(job)
    db.session.commit()
    with count_queries(db.engine) as small:
        assert services.run_job(job.id) == DONE
    for _ in range(30):
        make_asset(commit=False)
    db.session.commit()
    job2 = ExportJob(
        kind="register", params={"format": None, "filter": {}}, user_id=register["admin"].id,
        status=QUEUED, rows_total=36, download_name="b.xlsx", heartbeat_at=utcnow(),
    )  # fmt: skip
    db.session.add(job2)
    db.session.commit()
    with count_queries(db.engine) as big:
        assert services.run_job(job2.id) == DONE
    assert len(big) == len(small), (len(small), len(big))


def test_out_of_scope_users_get_404_same_scope_may_download(register, login, client):
    job_id = _job_id(login(register["petugas"]).get("/aset/ekspor"))
    assert _finish(client, job_id)["status"] == DONE
    urls = [f"/ekspor/{job_id}", f"/ekspor/{job_id}/status.json", f"/ekspor/{job_id}/unduh"]
    for who in ("petugas_serang", "camat"):  # another kab/kota; a kecamatan inside it
        c = login(register[who])
        assert [c.get(u).status_code for u in urls] == [404, 404, 404], who
    c = login(register["kadis"])  # same kab/kota scope, allowed to export the register
    assert [c.get(u).status_code for u in urls] == [200, 200, 200]
    assert client.get("/ekspor/999999").status_code == 404


def test_region_filter_sets_the_root(register, login, client):
    c = login(register["camat"])
    resp = c.get("/aset/ekspor")  # 5 rows in Pujer: above 3
    job_id = _job_id(resp)
    assert _finish(c, job_id)["rows_total"] == 5
    assert db.session.get(ExportJob, job_id).region_code == "35.11.05"
    other = login(register["camat2"])
    assert other.get(f"/ekspor/{job_id}").status_code == 404


def test_failed_job_shows_its_message(register, login, client):
    job = ExportJob(
        kind="register", params={"format": "xyz", "filter": {}}, user_id=register["petugas"].id,
        region_code="35.11", status=QUEUED, rows_total=6, download_name="x.xlsx",
        heartbeat_at=utcnow(),
    )  # fmt: skip
    db.session.add(job)
    db.session.commit()
    assert services.run_job(job.id) == FAILED
    c = login(register["petugas"])
    state = c.get(f"/ekspor/{job.id}/status.json").get_json()
    assert state["status"] == FAILED and state["error"] == "Format ekspor tidak dikenal: xyz."
    assert state["download_url"] is None
    page = c.get(f"/ekspor/{job.id}").get_data(as_text=True)
    assert "Format ekspor tidak dikenal: xyz." in page and "Gagal" in page
    assert 'http-equiv="refresh"' not in page  # finished: no refresh fallback
    assert c.get(f"/ekspor/{job.id}/unduh").status_code == 404
    assert not list(Path(services.export_dir()).glob("*.tmp"))  # no half file left


def _stored(user, status, worker_name, beat):
    job = ExportJob(
        kind="register", params={"filter": {}}, user_id=user.id, region_code="35.11",
        status=status, rows_total=10, rows_done=4, download_name="x.xlsx", worker=worker_name,
        heartbeat_at=beat,
    )  # fmt: skip
    db.session.add(job)
    db.session.commit()
    return job.id


def test_job_left_running_by_a_dead_process_is_marked_failed(register, login, client):
    me = socket.gethostname()
    now = utcnow()
    dead_here = _stored(register["petugas"], RUNNING, f"{me}:999999999", now)
    silent_elsewhere = _stored(register["petugas"], RUNNING, "host-b:42", now - timedelta(hours=1))
    queued_dead = _stored(register["petugas"], QUEUED, f"{me}:999999998", now)
    alive_elsewhere = _stored(register["petugas"], RUNNING, "host-b:43", now)
    c = login(register["petugas"])
    page = c.get(f"/ekspor/{dead_here}")
    assert page.status_code == 200
    assert services.STALE_MESSAGE in page.get_data(as_text=True)
    for job_id in (dead_here, silent_elsewhere, queued_dead):
        state = c.get(f"/ekspor/{job_id}/status.json").get_json()
        assert state["status"] == FAILED and state["error"] == services.STALE_MESSAGE
    assert c.get(f"/ekspor/{alive_elsewhere}/status.json").get_json()["status"] == RUNNING
    page = c.get(f"/ekspor/{alive_elsewhere}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page  # no-JS
    assert "4 dari 10 baris (40%)" in page


def test_worker_stops_when_its_job_is_declared_dead(register):
    job_id = _stored(register["petugas"], QUEUED, services.worker_id(), utcnow())
    services.fail_job(job_id, services.STALE_MESSAGE)
    assert services.run_job(job_id) == "skipped"
    assert db.session.get(ExportJob, job_id).status == FAILED


def test_expired_files_are_removed(register, login, client, runner):
    c = login(register["petugas"])
    job_id = _job_id(c.get("/aset/ekspor"))
    assert _finish(c, job_id)["status"] == DONE
    job = db.session.get(ExportJob, job_id)
    path = services.file_of(job)
    assert path.is_file() and job.expires_at - job.finished_at == timedelta(hours=24)
    leftover = path.with_name("999999-dead.xlsx.tmp")
    leftover.write_bytes(b"half")
    result = runner.invoke(args=["exports", "cleanup"])
    assert result.exit_code == 0 and "1 berkas dihapus" in result.output  # the .tmp only
    assert path.is_file() and not leftover.exists()
    with time_machine.travel(utcnow() + timedelta(hours=25), tick=True):
        result = runner.invoke(args=["exports", "cleanup"])
        assert result.exit_code == 0 and "1 berkas dihapus" in result.output
        db.session.expire_all()
        assert db.session.get(ExportJob, job_id).status == EXPIRED
        assert not path.exists()
        assert c.get(f"/ekspor/{job_id}/unduh").status_code == 404
        assert "Kedaluwarsa" in c.get(f"/ekspor/{job_id}").get_data(as_text=True)


def test_identical_export_reuses_the_active_job_and_too_many_are_refused(
    register, login, client, app, monkeypatch
):
    monkeypatch.setitem(app.config, "EXPORT_MAX_ACTIVE_PER_USER", 1)
    running = _stored(register["petugas"], RUNNING, services.worker_id(), utcnow())
    job = db.session.get(ExportJob, running)
    job.params = {"format": None, "filter": {}}
    db.session.commit()
    c = login(register["petugas"])
    assert _job_id(c.get("/aset/ekspor")) == running
    resp = c.get("/aset/ekspor", query_string={"format": "kib"})
    assert resp.status_code == 302 and "/aset/" in resp.headers["Location"]
    page = c.get(resp.headers["Location"]).get_data(as_text=True)
    assert "ekspor Anda yang berjalan" in page
    assert db.session.scalar(sa.select(sa.func.count(ExportJob.id))) == 1


def test_list_shows_own_jobs(register, login, client):
    c = login(register["petugas"])
    job_id = _job_id(c.get("/aset/ekspor"))
    _finish(c, job_id)
    page = c.get("/ekspor/").get_data(as_text=True)
    assert f"/ekspor/{job_id}/unduh" in page
    assert f"/ekspor/{job_id}" not in login(register["kadis"]).get("/ekspor/").get_data(
        as_text=True
    )


def test_cli_export_streams_with_progress(register, runner, tmp_path):
    out = tmp_path / "kib.xlsx"
    result = runner.invoke(args=["assets", "export", "--region", "35.11", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "6 aset" in result.stdout and "dari 6 baris" in result.stderr
    assert not out.with_name("kib.xlsx.tmp").exists()
    wb = openpyxl.load_workbook(out)
    assert sum(1 for r in wb["KIB B"].iter_rows(min_row=7) if isinstance(r[0].value, int)) == 6
