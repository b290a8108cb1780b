"""Configuration classes. Secrets come from the environment or the instance folder."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path


def _secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/secret_key."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        # Written whole under another name, then linked into place: two server processes
        # starting together on a new install agree on one key, and neither reads a file
        # the other has created but not yet written (an empty key: a 500 on every page).
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
            os.chmod(tmp, 0o600)
            with contextlib.suppress(FileExistsError):  # another process's key won: use it
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


class Config:
    SQLALCHEMY_DATABASE_URI: str | None = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # A JSON body of the API: refused (400) past this size or nesting, before it is parsed.
    API_JSON_MAX_BYTES = int(os.environ.get("API_JSON_MAX_BYTES", 1024 * 1024))
    API_JSON_MAX_DEPTH = int(os.environ.get("API_JSON_MAX_DEPTH", 32))
    # a whole installation with at least this many kecamatan stores its summary (hearing.snapshot)
    SUMMARY_SNAPSHOT_MIN_KECAMATAN = int(os.environ.get("SUMMARY_SNAPSHOT_MIN_KECAMATAN", 1000))
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    BOOTSTRAP_SERVE_LOCAL = True
    # Shared counters: Redis when set (flask-limiter's limits and auth/throttle.py's login and
    # password-change counters), else flask-limiter counts per process and the login and
    # password-change counters live in the database (table rate_counters).
    RATELIMIT_STORAGE_URI = (
        os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL") or "memory://"
    )
    RATELIMIT_HEADERS_ENABLED = False
    # Login: backoff per (username, IP) pair: after 5 failures 30 s, then 60 s, 120 s, …, at
    # most 15 minutes; forgotten after an hour without a failure or at a successful login.
    LOGIN_PAIR_FREE = 5
    LOGIN_PAIR_BASE_SECONDS = 30
    LOGIN_PAIR_MAX_SECONDS = 15 * 60
    LOGIN_PAIR_FORGET_SECONDS = 60 * 60
    # Looser, per IP (all usernames together): 50 failures in 15 minutes lock that IP.
    LOGIN_IP_LIMIT = 50
    LOGIN_IP_WINDOW_SECONDS = 15 * 60
    # /akun/sandi: 5 wrong current passwords in 15 minutes lock the form for that user.
    PASSWORD_CHANGE_LIMIT = 5
    PASSWORD_CHANGE_WINDOW_SECONDS = 15 * 60
    API_TITLE = "Aset Dukcapil API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    # Notices (assets_app/notify): SMTP for e-mail, an HTTP gateway for WhatsApp.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT") or 25)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Aset Dukcapil <noreply@localhost>")
    NOTIFY_WEBHOOK_URL = os.environ.get("NOTIFY_WEBHOOK_URL", "")
    NOTIFY_WEBHOOK_TOKEN = os.environ.get("NOTIFY_WEBHOOK_TOKEN", "")
    PASSWORD_HASH_PARAMS: dict = {}
    PER_PAGE = 25
    # XLSX imports (common/xlsx_reader.py): the first limit reached refuses the whole file.
    IMPORT_MAX_BYTES = 10 * 1024 * 1024  # the uploaded file
    IMPORT_MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # its members as declared, before unpacking
    IMPORT_MAX_ROWS = 20_000  # data rows
    # blank rows, gaps in the row numbers included; the app's own templates format 2,000 rows
    IMPORT_MAX_BLANK_ROWS = 5_000
    IMPORT_MAX_CELLS = 1_000_000
    IMPORT_MAX_SECONDS = 30
    # Regions `flask regions load` uses when no code is given: the four demo kab/kota.
    DEMO_REGIONS = ("32.16", "32.76", "36.73", "35.11")
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "") == "1"


class DevelopmentConfig(Config):
    pass


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"


class TestingConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL")
    # Cheap hashes keep the suite fast; production uses argon2's defaults.
    PASSWORD_HASH_PARAMS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
    SECRET_KEY = "test-secret-key-not-for-production"
    SERVER_NAME = None
    # No delivery from tests unless a test points these at its own local servers.
    MAIL_SERVER = ""
    NOTIFY_WEBHOOK_URL = ""


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def default_sqlite_uri(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "aset_dukcapil.sqlite")


__all__ = ["CONFIGS", "Config", "TestingConfig", "_secret_key", "default_sqlite_uri"]
