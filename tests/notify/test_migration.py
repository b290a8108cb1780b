"""Migration 0010 moves the in-app notifications into the outbox (SQLite; the PostgreSQL run
of tests/core checks the schema there)."""

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

BEFORE = "0008"  # the revision migration 0010 follows


@pytest.mark.slow
def test_upgrade_moves_notifications_into_the_outbox(tmp_path):
    target = f"sqlite:///{tmp_path}/mig.sqlite"
    env = {**os.environ, "DATABASE_URL": target, "INSTANCE_PATH": str(tmp_path)}
    flask = [sys.executable, "-m", "flask", "--app", "assets_app", "db"]

    def db(*args):
        done = subprocess.run([*flask, *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr

    db("upgrade", BEFORE)
    engine = sa.create_engine(target)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO regions (code, name, level) VALUES ('35', 'JAWA TIMUR', 'provinsi')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO users (id, username, name, role, region_code, password_hash, active, "
                "created_at) VALUES (1, 'kadis', 'Kadis', 'kadis', '35', 'x', 1, '2026-11-23 01:00:00')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO notifications (user_id, kind, title, body, url, created_at, read_at) "
                "VALUES (1, 'eskalasi', 'Tiket T-1 melewati target SLA', 'catatan', '/tiket/1', "
                "'2026-11-23 02:00:00', NULL)"
            )
        )
    db("upgrade")
    with engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT user_id, channel, kind, subject, link, status, read_at FROM notify_outbox"
            )
        ).one()
        cols = [c["name"] for c in sa.inspect(conn).get_columns("users")]
    engine.dispose()
    assert tuple(row) == (
        1,
        "aplikasi",
        "eskalasi",
        "Tiket T-1 melewati target SLA",
        "/tiket/1",
        "terkirim",
        None,
    )
    assert {"email", "phone"} <= set(cols)
    db("downgrade", BEFORE)
    engine = sa.create_engine(target)
    with engine.connect() as conn:
        titles = conn.execute(sa.text("SELECT title FROM notifications")).scalars().all()
    engine.dispose()
    assert titles == ["Tiket T-1 melewati target SLA"]
