"""Two OS processes number tickets and letters at the same time against the same database:
no duplicate and no skipped number (PostgreSQL: row lock on the counter; SQLite: the single
writer lock — the same test runs on whichever database the suite uses)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from assets_app.extensions import db
from assets_app.letters.models import Letter
from assets_app.tickets.models import Ticket

ROUNDS = 30
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_two_processes_never_duplicate_or_skip_numbers(database_url, users, tmp_path):
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.tickets.concurrency_worker",
                database_url,
                str(barrier),
                str(ROUNDS),
                str(seed),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2)
    ]
    deadline = time.time() + 120
    while not all((barrier / f"ready-{seed}").exists() for seed in (1, 2)):
        assert time.time() < deadline and all(p.poll() is None for p in procs), "workers failed"
        time.sleep(0.01)
    (barrier / "go").touch()  # both set up: start together
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    committed = sum(len(r["tickets"]) for r in results)
    rolled_back = sum(r["rolled_back"] for r in results)
    assert committed == 2 * ROUNDS - rolled_back and rolled_back == 8

    numbers = sorted(db.session.scalars(sa.select(Ticket.number)))
    year = numbers[0].split("-")[1]
    assert numbers == [f"TK-{year}-{n:05d}" for n in range(1, committed + 1)]
    seqs = sorted(db.session.scalars(sa.select(Letter.seq_no)))
    assert seqs == list(range(1, committed + 1))
    assert len({n for r in results for n in r["tickets"]}) == committed
    # Real concurrency: the processes ran at the same time and their numbers interleave.
    assert abs(results[0]["started"] - results[1]["started"]) < 0.5
    owner = {n: i for i, r in enumerate(results) for n in r["letters"]}
    switches = sum(1 for a, b in zip(seqs, seqs[1:], strict=False) if owner[a] != owner[b])
    assert switches >= 3, f"numbers did not interleave ({switches} switches)"
    print(f"{db.engine.dialect.name}: {committed} tiket dan surat, {switches} pergantian proses")


WAITER = """
import sys, time
from assets_app import create_app
from assets_app.common.sequence import next_value
from assets_app.extensions import db
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1]})
with app.app_context():
    value = next_value("uji:kunci")
    db.session.commit()
    print(value, time.time())
"""


@pytest.mark.slow
def test_a_second_process_waits_while_a_number_is_held(database_url, app, tmp_path):
    from assets_app.common.sequence import next_value, peek_value

    assert next_value("uji:kunci") == 1  # taken, transaction still open
    proc = subprocess.Popen(
        [sys.executable, "-c", WAITER, database_url],
        cwd=ROOT,
        env={**os.environ, "INSTANCE_PATH": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)
    assert proc.poll() is None, proc.communicate()  # blocked on our lock
    released = time.time()
    db.session.commit()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    value, finished = out.split()
    assert value == "2"  # not 1 again, and not 3
    assert float(finished) >= released
    assert peek_value("uji:kunci") == 2
