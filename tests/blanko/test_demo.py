"""The demo: Kab. Bekasi running out, Kota Depok ample, write-offs pending; idempotent."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from assets_app.blanko import queries, stats
from assets_app.blanko.models import BlankoMovement, BlankoRequest
from assets_app.core.cli import demo_steps
from assets_app.extensions import db


def _run(name):
    step = next(s for s in demo_steps() if s.name == name)
    out = step.fn()
    db.session.commit()
    return out


@pytest.mark.slow
def test_demo_blanko(app, runner):
    from assets_app.auth.models import User

    _run("Wilayah")
    _run("Pengguna demo")
    first = _run("Blanko")
    assert "Kab. Bekasi" in first and "Kota Depok" in first
    count = db.session.scalar(sa.select(sa.func.count()).select_from(BlankoMovement))
    assert _run("Blanko") == "sudah ada, tidak diubah"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BlankoMovement)) == count

    admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
    rows = stats.location_rows(db.session.execute(stats.locations_stmt(admin, "32.16")))
    short = [
        r
        for r in rows
        if r.level == "kecamatan" and r.days_of_cover is not None and r.days_of_cover < 2
    ]
    assert len(short) >= 5
    dinas = next(r for r in rows if r.code == "32.16")
    assert dinas.days_of_cover < 2
    depok = stats.location_rows(db.session.execute(stats.locations_stmt(admin, "32.76")))
    assert all(not r.low for r in depok)
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(BlankoRequest)
            .where(BlankoRequest.region_code == "32.16", BlankoRequest.status == "open")
        )
        == 1
    )

    pending = db.session.scalars(queries.pending_approvals_query(admin)).all()
    assert len(pending) >= 3
    check = runner.invoke(args=["blanko", "check"])
    assert check.exit_code == 0, check.output
