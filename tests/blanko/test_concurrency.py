"""Two OS processes race movements against a balance that cannot cover them all: no balance
goes below zero, every refusal carries the clear message, and `blanko check` passes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from assets_app.extensions import db
from tests.blanko.conftest import DINAS, KEC2, PUJER

ROOT = Path(__file__).resolve().parents[2]
REFUSAL = re.compile(
    r"^Stok di (Gudang Dinas Kab\. Bondowoso|Kec\. \w+) tidak cukup: tersedia \d+, diminta \d+\.$"
)
# Each process: 50 distribusi of 5 from the Dinas (which holds 200) and 50 pemakaian of 2 at
# Pujer (which holds 100): together they ask for 500 and 200.
SPEC = f"50;distribusi:{DINAS}:{KEC2}:5,pemakaian:{PUJER}::2"


def _race(url: str, instance: str) -> list[dict]:
    start_at = time.time() + 3.0
    env = {**os.environ, "INSTANCE_PATH": instance, "PYTHONPATH": str(ROOT), "RACE_PEERS": "2"}
    for stale in Path(instance).glob("*.ready"):
        stale.unlink()
    env.pop("DATABASE_URL", None)
    outs, procs = [], []
    for i in range(2):
        out = os.path.join(instance, f"race-{i}.json")
        outs.append(out)
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.blanko.race_worker",
                    url,
                    "petugas",
                    str(start_at),
                    out,
                    SPEC,
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    return [json.loads(Path(o).read_text()) for o in outs]


def _assert_race_outcome(results, balances, runner_result, url: str):
    ok_dist = sum(1 for r in results for kind, _ in r["ok"] if kind == "distribusi")
    ok_use = sum(1 for r in results for kind, _ in r["ok"] if kind == "pemakaian")
    refused = [x for r in results for x in r["refused"]]
    assert [e for r in results for e in r["errors"]] == []
    # Exactly what the stock covered went through: 200 / 5 and 100 / 2.
    assert ok_dist == 40 and ok_use == 50
    assert len(refused) == 200 - 90
    for _kind, _qty, errors in refused:
        assert list(errors) == ["quantity"]
        assert REFUSAL.match(errors["quantity"][0]), errors
    # Both processes worked through their whole list against the same stock …
    assert all(len(r["ok"]) + len(r["refused"]) == 100 for r in results)
    if not url.startswith("sqlite"):
        # … and on PostgreSQL both got work through: they really raced. SQLite serialises
        # writers with one file lock whose busy handler sleeps, so there one process may
        # legitimately run its whole list while the other waits for its first write.
        assert all(r["ok"] for r in results)
    assert balances[DINAS] == (0, 0, 0)
    assert balances[PUJER] == (0, 0, 0)
    assert balances[KEC2] == (0, 200, 0)
    assert all(v >= 0 for b in balances.values() for v in b)
    assert runner_result.exit_code == 0, runner_result.output
    assert "Buku blanko konsisten" in runner_result.output


def _prepare(ledger):
    ledger.stock(PUJER, 100)
    ledger.receive(200, ref="BAST/RACE")
    assert ledger.bal(DINAS) == (200, 0, 0)


@pytest.mark.slow
def test_two_processes_racing_on_the_suite_database(
    app, ledger, runner, database_url, instance_dir
):
    """On PostgreSQL when DATABASE_URL is PostgreSQL, else on the SQLite file database."""
    _prepare(ledger)
    db.session.remove()
    results = _race(database_url, instance_dir)
    balances = {c: ledger.bal(c) for c in (DINAS, PUJER, KEC2)}
    _assert_race_outcome(results, balances, runner.invoke(args=["blanko", "check"]), database_url)
    negative = db.session.scalar(
        sa.text("SELECT count(*) FROM blanko_balances WHERE on_hand < 0 OR reserved < 0")
    )
    assert negative == 0


if os.environ.get("DATABASE_URL", "").startswith("postgresql"):

    @pytest.mark.slow
    def test_two_processes_racing_on_a_sqlite_file(database_url, instance_dir):
        """The same race on SQLite when the suite itself runs on PostgreSQL."""
        from assets_app import create_app
        from assets_app.regions.services import load_regions
        from tests.blanko.conftest import Ledger
        from tests.factories import make_user

        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/race.sqlite"
            lite = create_app({"SQLALCHEMY_DATABASE_URI": url})
            with lite.app_context():
                db.create_all()
                load_regions(["35.11"])
                db.session.commit()
                petugas = make_user("petugas", "35.11", username="petugas")
                camat = make_user("camat", PUJER, username="camat.pujer")
                ledger = Ledger({"petugas": petugas, "camat": camat})
                _prepare(ledger)
                db.session.remove()
                results = _race(url, tmp)
                balances = {c: ledger.bal(c) for c in (DINAS, PUJER, KEC2)}
                check = lite.test_cli_runner().invoke(args=["blanko", "check"])
                _assert_race_outcome(results, balances, check, url)
                db.session.remove()
                db.engine.dispose()
