"""URL × role matrix of the export job pages: a finished job of Kec. Pujer (35.11.05), asked
by the kab/kota petugas, is open to every role whose scope covers Pujer; a job of Kota Serang
is 404 to all of them but the whole-installation admin."""

import pytest

from assets_app.common.timeutil import utcnow
from assets_app.exports import services
from assets_app.exports.models import DONE, ExportJob
from assets_app.extensions import db
from tests.access import Case, check, expect, params


def _job(user, region):
    job = ExportJob(
        kind="register", params={"format": "simda", "filter": {"region": region}},
        user_id=user.id, region_code=region, status=DONE, rows_total=1, rows_done=1,
        download_name="x.csv", heartbeat_at=utcnow(),
    )  # fmt: skip
    db.session.add(job)
    db.session.flush()
    job.file_path = f"{services.EXPORT_DIR}/{job.id}-akses.csv"
    path = services.export_dir() / f"{job.id}-akses.csv"
    path.write_bytes(b"\xef\xbb\xbfKd_Prov\r\n")
    return job


def _setup(ctx):
    ctx["job"] = _job(ctx["users"]["petugas"], "35.11.05")
    ctx["out_job"] = _job(ctx["users"]["petugas_serang"], "36.73")
    db.session.commit()


def _in(suffix=""):
    return lambda ctx: f"/ekspor/{ctx['job'].id}{suffix}"


def _out(suffix=""):
    return lambda ctx: f"/ekspor/{ctx['out_job'].id}{suffix}"


CASES = [
    Case("exports.index", "/ekspor/", expect()),
    Case("exports.job", _in(), expect(), out_path=_out(), setup=_setup),
    Case(
        "exports.status",
        _in("/status.json"),
        expect(),
        out_path=_out("/status.json"),
        setup=_setup,
    ),  # fmt: skip
    Case("exports.download", _in("/unduh"), expect(), out_path=_out("/unduh"), setup=_setup),
]


@pytest.mark.parametrize(("case", "role"), params(CASES))
def test_access(app, client, login, users, case, role):
    check(app, client, login, {"users": users}, case, role)
