"""Test fixtures: one database per run (SQLite file, or a fresh PostgreSQL database when
DATABASE_URL points at PostgreSQL).

The schema, the two reference kab/kota of `regions` and the eight accounts of `users` are built
once per session and kept as snapshots (see tests/dbstate.py). Each test starts from the state
its fixtures ask for (no regions, regions, regions + users), restored by copying back only the
tables the previous test wrote.

`--today=YYYY-MM-DD` (or TEST_TODAY) runs the whole session as if it were that day, 09:00 WIB,
with the clock ticking; scripts/date-sweep.py uses it.
"""

from __future__ import annotations

import contextvars
import inspect
import os
import tempfile
import threading
import uuid
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from assets_app import create_app
from assets_app.extensions import db as _db
from assets_app.extensions import limiter
from tests import dbstate

_TRAVEL = pytest.StashKey()


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        default=os.environ.get("TEST_TODAY") or None,
        metavar="YYYY-MM-DD",
        help="run the session as if today were this date (09:00 WIB, clock ticking)",
    )


def pytest_configure(config):
    today = config.getoption("--today")
    if today:
        import time_machine

        from assets_app.common.formatting import WIB

        start = datetime.combine(date.fromisoformat(today), time(9, 0), WIB)
        traveller = time_machine.travel(start, tick=True)
        traveller.start()
        config.stash[_TRAVEL] = traveller


def pytest_unconfigure(config):
    traveller = config.stash.get(_TRAVEL, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    if config.getoption("--today"):
        return f"today: {config.getoption('--today')} (time_machine, 09:00 WIB)"
    return None


def pytest_runtest_teardown(item, nextitem):
    # A test asking for the database URL itself may write to it from another process.
    if "database_url" in inspect.signature(item.obj).parameters:
        dbstate.mark_all_dirty()


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


def _sqlite_no_sync(dbapi_connection, connection_record):
    dbapi_connection.execute("PRAGMA synchronous=OFF")


@pytest.fixture(scope="session")
def _app(database_url, instance_dir):
    os.environ["INSTANCE_PATH"] = instance_dir
    # memory:// even if REDIS_URL is set here: the login limits then count in the database,
    # where frozen clocks apply (tests/auth/test_login_limits.py).
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_STORAGE_URI": "memory://"}
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        if _db.engine.dialect.name == "sqlite":
            # A throwaway database: commits need not wait for the disk (cf. PostgreSQL above).
            sa.event.listen(_db.engine, "connect", _sqlite_no_sync)
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture(scope="session")
def _dbstate(_app):
    """The prepared states (tests/dbstate.py), built on first use."""
    with tempfile.TemporaryDirectory() as tmp, _app.app_context():
        state = dbstate.DatabaseState(_db.engine, tmp)
        state.prepare()
        yield state
        state.store.close()


def _wanted_state(request) -> str:
    names = request.fixturenames
    if "users" in names:
        return "users"
    return "regions" if "regions" in names else "empty"


@pytest.fixture
def app(_app, _dbstate, request):
    """The app with the database as the test's fixtures want it: no rows at all, or the
    `regions`, or the `regions` and `users`."""
    with _app.app_context():
        _dbstate.restore(_wanted_state(request))
        limiter.reset()
        yield _app
        _db.session.rollback()
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
            sess["_user_id"] = user.get_id()  # id and session version
            sess["_fresh"] = True
        return client

    return do


@pytest.fixture
def regions(app, _dbstate):
    """Kota Serang (36.73) and Kab. Bondowoso (35.11) with their whole subtrees."""
    _dbstate.ensure("regions")


@pytest.fixture
def users(regions, _dbstate):
    """One user per role, plus a second camat and an out-of-scope petugas (password
    tests.factories.PASSWORD): admin, admin_kab, kadis, petugas, camat (35.11.05), camat2
    (35.11.06), dprd, petugas_serang (36.73)."""
    _dbstate.ensure("users")
    return _dbstate.standard_users()


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

    _app.config["LOGIN_IP_LIMIT"] = 1000
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
