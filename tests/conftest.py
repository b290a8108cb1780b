"""Test fixtures: one database per run (SQLite file, or a fresh PostgreSQL database when
DATABASE_URL points at PostgreSQL), schema built once, tables emptied after every test."""

from __future__ import annotations

import contextvars
import os
import tempfile
import threading
import uuid

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from assets_app import create_app
from assets_app.extensions import db as _db
from assets_app.extensions import limiter


def _postgres_database():
    base = make_url(os.environ["DATABASE_URL"])
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        # A throwaway database: commits need not wait for the disk.
        conn.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    return base.set(database=name), admin, name


@pytest.fixture(scope="session")
def database_url():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        test_url, admin, name = _postgres_database()
        yield test_url.render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/test.sqlite"


@pytest.fixture(scope="session")
def instance_dir():
    with tempfile.TemporaryDirectory() as tmp:
        yield tmp


class IsolatedClient(FlaskClient):
    """Runs each request in a clean context, as a real server would: its own app context,
    `g` and database session, not the test's. The test's session is expired afterwards so it
    reads what the request committed."""

    def open(self, *args, **kwargs):
        resp = contextvars.Context().run(super().open, *args, **kwargs)
        _db.session.expire_all()
        return resp


@pytest.fixture(scope="session")
def _app(database_url, instance_dir):
    os.environ["INSTANCE_PATH"] = instance_dir
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.engine.dispose()


def _empty_tables():
    tables = list(reversed(_db.metadata.sorted_tables))
    # DELETE, children first: for a few rows per table it is far cheaper than TRUNCATE.
    for t in tables:
        _db.session.execute(t.delete())
    _db.session.commit()


@pytest.fixture
def app(_app):
    with _app.app_context():
        limiter.reset()
        yield _app
        _db.session.rollback()
        _db.session.remove()
        _empty_tables()
        _db.session.remove()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """login(user): a session for that user, without going through the form."""

    def do(user):
        with client.session_transaction() as sess:
            sess["_user_id"] = str(user.id)
            sess["_fresh"] = True
        return client

    return do


@pytest.fixture
def regions(app):
    """Kota Serang (36.73) and Kab. Bondowoso (35.11) with their whole subtrees."""
    from assets_app.regions.services import load_regions

    load_regions(["36.73", "35.11"])
    _db.session.commit()


@pytest.fixture
def users(regions):
    """One user per role, plus a second camat and an out-of-scope petugas."""
    from tests.factories import make_user

    return {
        "admin": make_user("admin", None, username="admin"),
        "admin_kab": make_user("admin", "35.11", username="admin.bondowoso"),
        "kadis": make_user("kadis", "35.11", username="kadis"),
        "petugas": make_user("petugas", "35.11", username="petugas"),
        "camat": make_user("camat", "35.11.05", username="camat.pujer"),
        "camat2": make_user("camat", "35.11.06", username="camat.lain"),
        "dprd": make_user("dprd", "35.11", username="dprd"),
        "petugas_serang": make_user("petugas", "36.73", username="petugas.serang"),
    }


@pytest.fixture
def api_token(app):
    """api_token(user) → an Authorization header dict for that user."""
    from assets_app.auth.services import issue_token

    def make(user):
        token = issue_token(user, "uji")
        _db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


# --- browser tests -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(_app):
    from waitress.server import create_server

    _app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    server = create_server(_app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}
