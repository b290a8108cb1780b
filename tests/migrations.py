"""Scratch databases for migration tests: each test upgrades a database of its own to an old
revision, writes rows as that revision's schema has them, then upgrades (and downgrades)
with `flask db` in a subprocess, as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager

import sqlalchemy as sa


def flask_db(env, *args):
    cmd = [sys.executable, "-m", "flask", "--app", "assets_app", "db", *args]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@contextmanager
def scratch_database(database_url: str, tmp_path):
    """(env for `flask_db`, engine) on an empty database beside the suite's: a new PostgreSQL
    database on the same server (dropped afterwards) or a SQLite file in tmp_path."""
    admin = name = None
    if database_url.startswith("postgresql"):
        url = sa.engine.make_url(database_url)
        name = f"mig_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        target = url.set(database=name).render_as_string(hide_password=False)
    else:
        target = f"sqlite:///{tmp_path}/mig.sqlite"
    env = {**os.environ, "DATABASE_URL": target, "INSTANCE_PATH": str(tmp_path)}
    engine = sa.create_engine(target)
    try:
        yield env, engine
    finally:
        engine.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
