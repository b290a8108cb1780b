import os
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa


def test_healthz_checks_database(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok", "database": "ok"}


def test_404_page_in_indonesian(client, users, login):
    login(users["petugas"])
    resp = client.get("/tidak-ada-halaman-ini")
    assert resp.status_code == 404
    assert "Tidak ditemukan" in resp.get_data(as_text=True)


def test_405_page_in_indonesian(client):
    resp = client.post("/healthz")
    assert resp.status_code == 405
    assert "Metode tidak diizinkan" in resp.get_data(as_text=True)


def test_500_page_hides_the_trace(database_url, caplog):
    from assets_app import create_app

    fresh = create_app({"SQLALCHEMY_DATABASE_URI": database_url})

    @fresh.get("/_uji_galat")
    def _boom():
        raise RuntimeError("rahasia internal")

    resp = fresh.test_client().get("/_uji_galat")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 500
    assert "Terjadi kesalahan" in body and "rahasia internal" not in body


def test_home_shows_scope(client, login, users):
    login(users["camat"])
    html = client.get("/beranda").get_data(as_text=True)
    assert "Kec. Pujer" in html


def test_nav_follows_role(client, login, users):
    login(users["camat"])
    assert "Log Audit" not in client.get("/beranda").get_data(as_text=True)
    login(users["admin"])
    assert "Log Audit" in client.get("/beranda").get_data(as_text=True)


def test_bootstrap_served_locally(client):
    """Every stylesheet and script comes from this server. (Not a search for "cdn" in the
    page: a random CSRF token contains those three letters about once in 700 runs.)"""
    import re

    html = client.get("/masuk").get_data(as_text=True)
    sources = re.findall(r'<(?:link|script)\b[^>]*\b(?:href|src)="([^"]*)"', html)
    assert any("bootstrap" in s for s in sources), sources
    # a path on this server (not "//host/…" nor "https://…"), and it answers
    assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources
    assert all(client.get(s).status_code == 200 for s in sources), sources
    assert "cdn" not in html.lower().replace(_csrf_token(html).lower(), "")


def _csrf_token(html: str) -> str:
    import re

    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_formatting_filters():
    from datetime import UTC, date, datetime

    from assets_app.common import formatting as f

    assert f.rupiah(1250000) == "Rp 1.250.000"
    assert f.percent(94.7312) == "94,73%"
    assert f.tanggal(date(2026, 11, 23)) == "23 November 2026"
    assert f.waktu(datetime(2026, 11, 23, 7, 30, tzinfo=UTC)) == "23 November 2026 14.30 WIB"


@pytest.mark.slow
def test_migrations_upgrade_empty_database_and_match_models(database_url, tmp_path):
    """`flask db upgrade` on an empty database, then `flask db check` reports nothing pending."""
    if database_url.startswith("postgresql"):
        url = sa.engine.make_url(database_url)
        name = f"mig_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        target = url.set(database=name).render_as_string(hide_password=False)
    else:
        admin, name, target = None, None, f"sqlite:///{tmp_path}/mig.sqlite"
    env = {**os.environ, "DATABASE_URL": target, "INSTANCE_PATH": str(tmp_path)}
    flask = [sys.executable, "-m", "flask", "--app", "assets_app"]
    try:
        up = subprocess.run([*flask, "db", "upgrade"], env=env, capture_output=True, text=True)
        assert up.returncode == 0, up.stderr
        check = subprocess.run([*flask, "db", "check"], env=env, capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "No new upgrade operations detected" in check.stdout + check.stderr
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def test_reports_package_is_pure():
    code = (
        "import sys, reports; assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
