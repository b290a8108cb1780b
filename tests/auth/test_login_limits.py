"""Login limits (issue 20): backoff per (username, IP), a looser limit per IP, the
password-change limit, one count across server processes, and X-Forwarded-For honoured only
behind TRUSTED_PROXY. Clocks are frozen wherever a wait matters."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from assets_app.auth.models import RateCounter
from tests.factories import PASSWORD

WRONG = "bukan-sandinya-1"
OWNER_IP = "198.51.100.7"
ATTACKER_IP = "203.0.113.66"
LOCKED = "Terlalu banyak percobaan masuk yang gagal"


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        yield traveller


def _browser(app, ip):
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = ip
    return browser


def _csrf(browser, path="/masuk"):
    html = browser.get(path).get_data(as_text=True)
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def _attempt(browser, username, password, **headers):
    return browser.post(
        "/masuk",
        data={"username": username, "password": password, "csrf_token": _csrf(browser)},
        headers=headers,
    )


def _message(resp) -> str:
    found = re.search(r"Terlalu banyak percobaan[^<]*", resp.get_data(as_text=True))
    return found.group(0).strip() if found else ""


def test_pair_backoff_locks_then_doubles_and_right_password_waits(app, users, frozen):
    attacker = _browser(app, ATTACKER_IP)
    codes = [_attempt(attacker, "camat.pujer", WRONG).status_code for _ in range(5)]
    assert codes == [200] * 5
    locked = _attempt(attacker, "camat.pujer", PASSWORD)
    assert locked.status_code == 429
    assert _message(locked) == f"{LOCKED}. Coba lagi dalam 30 detik."
    assert attacker.get("/beranda").status_code == 302  # not logged in
    frozen.shift(timedelta(seconds=29))
    assert _attempt(attacker, "camat.pujer", PASSWORD).status_code == 429
    frozen.shift(timedelta(seconds=2))
    # One more failure after the lock: twice as long.
    assert _attempt(attacker, "camat.pujer", WRONG).status_code == 200
    assert (
        _message(_attempt(attacker, "camat.pujer", WRONG)) == f"{LOCKED}. Coba lagi dalam 1 menit."
    )
    frozen.shift(timedelta(seconds=61))
    assert _attempt(attacker, "camat.pujer", WRONG).status_code == 200
    assert "2 menit" in _message(_attempt(attacker, "camat.pujer", PASSWORD))
    frozen.shift(timedelta(seconds=121))
    resp = _attempt(attacker, "camat.pujer", PASSWORD)
    assert resp.status_code == 302
    # A success forgets the pair: five free failures again.
    fresh = _browser(app, ATTACKER_IP)
    assert [_attempt(fresh, "camat.pujer", WRONG).status_code for _ in range(5)] == [200] * 5


def test_backoff_is_capped_and_forgotten_after_an_hour_without_failures(app, users, frozen):
    attacker = _browser(app, ATTACKER_IP)
    for _ in range(4):
        assert _attempt(attacker, "kadis", WRONG).status_code == 200
    waits = []
    for seconds in (30, 60, 120, 240, 480, 900, 900):
        assert _attempt(attacker, "kadis", WRONG).status_code == 200
        waits.append(_message(_attempt(attacker, "kadis", PASSWORD)).rsplit("dalam ", 1)[-1])
        frozen.shift(timedelta(seconds=seconds + 1))
    assert waits == [
        "30 detik.",
        "1 menit.",
        "2 menit.",
        "4 menit.",
        "8 menit.",
        "15 menit.",
        "15 menit.",
    ]
    # An hour after the last failure the pair starts again from five free failures.
    frozen.shift(timedelta(minutes=61))
    assert [_attempt(attacker, "kadis", WRONG).status_code for _ in range(5)] == [200] * 5
    assert _attempt(attacker, "kadis", PASSWORD).status_code == 429


def test_owner_from_another_ip_is_not_locked_out(app, users, frozen):
    attacker = _browser(app, ATTACKER_IP)
    for _ in range(6):
        _attempt(attacker, "kadis", WRONG)
    assert _attempt(attacker, "kadis", PASSWORD).status_code == 429
    owner = _browser(app, OWNER_IP)
    resp = _attempt(owner, "kadis", PASSWORD)
    assert resp.status_code == 302
    assert owner.get("/beranda").status_code == 200
    # The attacker's pair stays locked; the owner's success does not unlock it.
    assert _attempt(attacker, "kadis", PASSWORD).status_code == 429


def test_lockout_does_not_tell_whether_the_account_exists(app, users, frozen):
    browser = _browser(app, ATTACKER_IP)
    replies = {}
    for name in ("camat.pujer", "tidak.ada.orangnya"):
        wrong = [_attempt(browser, name, WRONG) for _ in range(5)]
        assert {r.status_code for r in wrong} == {200}
        assert all("Nama pengguna atau kata sandi salah" in r.get_data(as_text=True) for r in wrong)
        locked = _attempt(browser, name, PASSWORD)
        replies[name] = (locked.status_code, _message(locked))
    assert replies["camat.pujer"] == replies["tidak.ada.orangnya"]
    assert replies["camat.pujer"][0] == 429
    # Typed usernames are not kept: the counters are keyed by hashes.
    from assets_app.extensions import db

    keys = db.session.scalars(sa.select(RateCounter.key)).all()
    assert keys and not any("pujer" in k or "tidak" in k or ATTACKER_IP in k for k in keys)


def test_inactive_account_counts_like_any_other(app, users, db, frozen):
    from assets_app.auth.models import User

    db.session.get(User, users["dprd"].id).active = False
    db.session.commit()
    browser = _browser(app, ATTACKER_IP)
    codes = [_attempt(browser, "dprd", PASSWORD).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]


def test_per_ip_limit_is_looser_and_spans_usernames(app, users, frozen, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_IP_LIMIT", 8)
    sprayer = _browser(app, ATTACKER_IP)
    names = ["admin", "kadis", "petugas", "camat.pujer", "dprd", "a.b", "c.d", "e.f"]
    assert [_attempt(sprayer, n, WRONG).status_code for n in names] == [200] * 8
    resp = _attempt(sprayer, "camat.lain", PASSWORD)
    assert resp.status_code == 429
    assert "15 menit" in _message(resp)
    # Other IPs are not concerned.
    assert _attempt(_browser(app, OWNER_IP), "camat.lain", PASSWORD).status_code == 302
    frozen.shift(timedelta(minutes=15, seconds=1))
    assert _attempt(sprayer, "camat.lain", PASSWORD).status_code == 302


def test_x_forwarded_for_is_ignored_by_the_app_itself(app, users, frozen):
    # Only waitress with TRUSTED_PROXY rewrites REMOTE_ADDR (see the two-process test);
    # the app never reads the header, so a client cannot pick a fresh IP per attempt.
    browser = _browser(app, ATTACKER_IP)
    for i in range(5):
        _attempt(browser, "petugas", WRONG, **{"X-Forwarded-For": f"192.0.2.{i}"})
    resp = _attempt(browser, "petugas", PASSWORD, **{"X-Forwarded-For": "192.0.2.200"})
    assert resp.status_code == 429


# --- password change ----------------------------------------------------------------------


def _change(browser, current, new="sandi-baru-panjang-1"):
    return browser.post(
        "/akun/sandi",
        data={
            "current": current,
            "new": new,
            "confirm": new,
            "csrf_token": _csrf(browser, "/akun/sandi"),
        },
    )


def test_password_change_is_limited_per_user(app, client, login, users, frozen):
    from assets_app.auth.services import authenticate

    login(users["petugas"])
    wrong = [_change(client, f"tebakan-{i}-salah") for i in range(5)]
    assert [r.status_code for r in wrong] == [200] * 5
    assert all("Kata sandi saat ini salah" in r.get_data(as_text=True) for r in wrong)
    locked = _change(client, PASSWORD)
    assert locked.status_code == 429
    html = locked.get_data(as_text=True)
    assert "Terlalu banyak percobaan kata sandi yang gagal. Coba lagi dalam 15 menit." in html
    assert authenticate("petugas", "sandi-baru-panjang-1") is None
    # Another user's form is not locked.
    other = app.test_client()
    with other.session_transaction() as sess:
        sess["_user_id"] = users["kadis"].get_id()
    assert _change(other, "tebakan-salah-lagi").status_code == 200
    frozen.shift(timedelta(minutes=15, seconds=1))
    assert _change(client, PASSWORD).status_code == 302
    assert authenticate("petugas", "sandi-baru-panjang-1") is not None


def test_right_current_password_resets_the_count(app, client, login, users, frozen):
    login(users["petugas"])
    for i in range(4):
        _change(client, f"tebakan-{i}-salah")
    # Right current password, mismatched confirmation: not a guess, and the count restarts.
    resp = client.post(
        "/akun/sandi",
        data={
            "current": PASSWORD,
            "new": "sandi-baru-panjang-1",
            "confirm": "lain-sama-sekali-1",
            "csrf_token": _csrf(client, "/akun/sandi"),
        },
    )
    assert "Konfirmasi kata sandi tidak sama" in resp.get_data(as_text=True)
    assert [_change(client, f"lagi-{i}-salah").status_code for i in range(5)] == [200] * 5
    assert _change(client, PASSWORD).status_code == 429


# --- two server processes -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _servers(database_url, *envs):
    procs, ports = [], []
    for extra in envs:
        port = _free_port()
        env = {
            k: v for k, v in os.environ.items() if k not in ("RATELIMIT_STORAGE_URI", "REDIS_URL")
        }
        env.update(
            DATABASE_URL=database_url, APP_ENV="development", PORT=str(port), THREADS="2", **extra
        )
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "assets_app.serve"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
        ports.append(port)
    try:
        deadline = time.monotonic() + 90  # a loaded CI machine starts Python slowly
        for port, proc in zip(ports, procs, strict=True):
            while True:
                assert proc.poll() is None, proc.stderr.read().decode()
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "server did not start"
                    time.sleep(0.1)
        yield ports
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)
            proc.stderr.close()


class _Http:
    """One browser on one server: a cookie, a CSRF token, no redirects followed."""

    def __init__(self, port: int) -> None:
        self.port, self.cookie = port, ""

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        hdrs = {"Cookie": self.cookie, **(headers or {})}
        if body is not None:
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        text = resp.read().decode()
        cookie = resp.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        conn.close()
        return resp.status, text

    def login(self, username, password, forwarded_for=None):
        from urllib.parse import urlencode

        status, html = self.request("GET", "/masuk")
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
        assert found, f"GET /masuk answered {status} without a form: {html[:2000]}"
        token = found.group(1)
        body = urlencode({"username": username, "password": password, "csrf_token": token})
        headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        return self.request("POST", "/masuk", body, headers)[0]


def test_two_server_processes_enforce_one_limit_and_trust_proxy_only_when_set(database_url, users):
    with _servers(database_url, {}, {"TRUSTED_PROXY": "127.0.0.1"}) as (plain, proxied):
        a, b = _Http(plain), _Http(proxied)
        # Five failures for one (username, IP) pair, spread over both processes …
        codes = [(a if i % 2 == 0 else b).login("petugas", WRONG) for i in range(5)]
        assert codes == [200] * 5
        # … lock the pair on both: one count, not one per process.
        assert a.login("petugas", PASSWORD) == 429
        assert b.login("petugas", PASSWORD) == 429
        # Behind TRUSTED_PROXY the X-Forwarded-For address is the client: another pair.
        assert b.login("petugas", PASSWORD, forwarded_for=OWNER_IP) == 302
        # Without it, the header is ignored: still 127.0.0.1, still locked.
        assert _Http(plain).login("petugas", PASSWORD, forwarded_for=OWNER_IP) == 429


def test_concurrent_failures_are_all_counted(app, users):
    """Eight threads, each its own connection, forty failures under one key: forty counted
    (the database store's insert-then-increment is atomic on both engines)."""
    import threading

    from assets_app.auth import throttle
    from assets_app.extensions import db

    key = throttle.login_keys("petugas", "192.0.2.9")[1]
    errors = []

    def work():
        try:
            with app.app_context():
                for _ in range(5):
                    throttle.store().hit(key, throttle.LOGIN_IP)
        except Exception as e:  # reported below, not swallowed
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.session.scalar(sa.select(RateCounter.hits).where(RateCounter.key == key)) == 40
    assert throttle.store().locked_for((key,)) == 0  # 40 < LOGIN_IP_LIMIT
    throttle.store().hit(key, throttle.LOGIN_IP)
    assert db.session.scalar(sa.select(RateCounter.hits).where(RateCounter.key == key)) == 41


def test_redis_storage_uri_selects_the_redis_store(app, monkeypatch):
    from assets_app.auth import throttle

    assert isinstance(throttle.store(), throttle.DatabaseStore)
    # No connection is made until a counter is used, so no server is needed to check the choice.
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1/3")
    chosen = throttle.store()
    assert isinstance(chosen, throttle.RedisStore)
    assert chosen.redis.connection_pool.connection_kwargs["db"] == 3
    assert throttle.store() is chosen  # one client per app and URI
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", "memory://")
    assert isinstance(throttle.store(), throttle.DatabaseStore)
