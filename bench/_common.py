"""Setup shared by the benchmarks: the import path, the app, the schema and a scratch
PostgreSQL database.

The schema is built by the Alembic migrations, as `flask db upgrade` builds it for an
installation, not by `create_all`: the benchmarks measure the tables, indexes and constraints
an installation actually has.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def make_app(url: str, **config):
    """The app on the database at `url`, with any extra config keys."""
    from assets_app import create_app
    from assets_app.common.runtime import tune_gc

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, **config})
    tune_gc()  # as the server does (assets_app.serve)
    return app


def build_schema(app) -> None:
    """Runs every migration up to head on the app's (empty) database, in this process.

    Alembic's env.py is told not to apply alembic.ini's logging config, which would print the
    INFO lines of `flask db upgrade` and disable the loggers that already exist here."""
    from alembic import command

    with app.app_context():
        ext = app.extensions["migrate"]
        config = ext.migrate.get_config(ext.directory)
        config.attributes["configure_logger"] = False
        command.upgrade(config, "head")


def analyze(db) -> None:
    """Planner statistics after a bulk load, on both engines. On PostgreSQL also VACUUM: a
    running installation's autovacuum keeps the visibility map, without which an index-only
    scan still reads every table page it names (a bulk-loaded table has none). SQLite gathers
    no statistics by itself (`flask db upgrade` ends with ANALYZE, see migrations/env.py)."""
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
        return
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


class ScratchPostgres:
    """A throw-away database on the PostgreSQL server of `server_url`.

    `create()` returns its URL and `drop()` removes it (with FORCE: connections still open
    are closed); as a context manager it does both."""

    def __init__(self, server_url: str, prefix: str = "bench"):
        self.base = sa.engine.make_url(server_url)
        self.name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self.admin = sa.create_engine(
            self.base.set(database="postgres"), isolation_level="AUTOCOMMIT"
        )

    def create(self) -> str:
        try:
            with self.admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
        except Exception:
            self.admin.dispose()
            raise
        return self.base.set(database=self.name).render_as_string(hide_password=False)

    def drop(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()

    def __enter__(self) -> str:
        return self.create()

    def __exit__(self, *exc) -> None:
        self.drop()
