"""Issue 13: the public base URL of QR codes and links. Without one, `flask reports hearing`
and `flask assets labels` warn on stderr naming PUBLIC_BASE_URL; with one (configuration or
the admin setting; the configuration wins), the QR codes decode to that host. Admins see a
banner on pages that print QR codes when the address is loopback or unset."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image

from assets_app.core import public_url
from assets_app.core.models import InstallSetting
from assets_app.extensions import db
from tests.tickets.helpers import make_asset

HOST = "aset.bondowosokab.go.id"
HEARING = ["reports", "hearing", "--region", "35.11", "--from", "2026-01-01", "--to", "2026-06-30"]


@pytest.fixture
def no_config(app):
    saved = app.config.get("PUBLIC_BASE_URL")
    app.config["PUBLIC_BASE_URL"] = ""
    yield app
    app.config["PUBLIC_BASE_URL"] = saved


def _qr_texts(pdf: Path, tmp_path: Path, page: int = 1) -> list[str]:
    stem = tmp_path / f"qr-{pdf.stem}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", str(page), "-l", str(page), str(pdf), str(stem)],
        check=True,
    )
    [png] = sorted(tmp_path.glob(f"qr-{pdf.stem}-*.png"))
    with Image.open(png) as image:
        return [r.text for r in zxingcpp.read_barcodes(image)]


def _hearing(runner, out: Path):
    result = runner.invoke(args=[*HEARING, "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    [pdf] = out.glob("*.pdf")
    return result, pdf


def _labels(runner, out: Path):
    result = runner.invoke(args=["assets", "labels", "--region", "35.11", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result


def test_without_a_base_url_both_commands_warn_on_stderr(no_config, users, runner, tmp_path):
    make_asset("35.11.05")
    hearing, pdf = _hearing(runner, tmp_path / "paket")
    assert "PUBLIC_BASE_URL" in hearing.stderr and "Peringatan" in hearing.stderr
    assert "PUBLIC_BASE_URL" not in hearing.stdout
    assert all(urlsplit(t).hostname == "127.0.0.1" for t in _qr_texts(pdf, tmp_path))
    labels = _labels(runner, tmp_path / "label.pdf")
    assert "PUBLIC_BASE_URL" in labels.stderr and "Peringatan" in labels.stderr


def test_a_loopback_base_url_warns_too(no_config, users, runner, tmp_path):
    make_asset("35.11.05")
    for base in ("http://localhost:5000", "http://[::1]:8080", "http://127.0.0.1"):
        no_config.config["PUBLIC_BASE_URL"] = base
        labels = _labels(runner, tmp_path / "label.pdf")
        assert "PUBLIC_BASE_URL" in labels.stderr and "hanya dapat dibuka" in labels.stderr, base


def test_with_the_config_set_the_qr_codes_decode_to_that_host(no_config, users, runner, tmp_path):
    no_config.config["PUBLIC_BASE_URL"] = f"https://{HOST}/"
    asset = make_asset("35.11.05")
    hearing, pdf = _hearing(runner, tmp_path / "paket")
    assert hearing.stderr == ""
    cover = _qr_texts(pdf, tmp_path)
    assert cover and all(urlsplit(t).hostname == HOST for t in cover)
    assert re.fullmatch(rf"https://{re.escape(HOST)}/verifikasi/[\w-]+", cover[0])
    assert f"Verifikasi: {cover[0]}" in hearing.stdout
    labels = _labels(runner, tmp_path / "label.pdf")
    assert labels.stderr == ""
    assert _qr_texts(tmp_path / "label.pdf", tmp_path) == [f"https://{HOST}/l/{asset.label_token}"]


def test_the_admin_setting_is_used_and_the_config_wins(
    no_config, users, runner, tmp_path, client, login
):
    asset = make_asset("35.11.05")
    login(users["admin"])
    no_config.config["WTF_CSRF_ENABLED"] = False
    try:
        saved = client.post("/admin/alamat-publik", data={"url": f"https://{HOST}/aset/"})
    finally:
        no_config.config["WTF_CSRF_ENABLED"] = True
    assert saved.status_code == 302
    assert db.session.get(InstallSetting, "public_base_url").value == f"https://{HOST}/aset"
    labels = _labels(runner, tmp_path / "label.pdf")
    assert labels.stderr == ""
    assert _qr_texts(tmp_path / "label.pdf", tmp_path) == [
        f"https://{HOST}/aset/l/{asset.label_token}"
    ]
    no_config.config["PUBLIC_BASE_URL"] = "https://aset.example.go.id"
    assert public_url.base_url() == "https://aset.example.go.id"
    assert public_url.source() == "config"
    page = client.get("/admin/alamat-publik").get_data(as_text=True)
    assert "mengalahkan isian di bawah" in page and "https://aset.example.go.id" in page


def _post(app, client, data):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        return client.post("/admin/alamat-publik", data=data)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_the_setting_refuses_loopback_and_junk_and_regional_admins(no_config, users, client, login):
    login(users["admin"])
    for typed, message in (
        ("http://localhost:5000", "hanya dapat dibuka dari server sendiri"),
        ("aset.bondowosokab.go.id", "Tulis alamat lengkap"),
        ("ftp://aset.go.id", "Tulis alamat lengkap"),
        ("https://aset.go.id/?a=1", "tanpa ?"),
    ):
        resp = _post(no_config, client, {"url": typed})
        page = resp.get_data(as_text=True)
        assert resp.status_code == 422 and message in page, typed
        assert f'value="{typed}"' in page.replace("&amp;", "&")  # kept what was typed
    assert db.session.get(InstallSetting, "public_base_url") is None
    login(users["admin_kab"])
    resp = _post(no_config, client, {"url": f"https://{HOST}"})
    assert resp.status_code in (403, 422)
    assert db.session.get(InstallSetting, "public_base_url") is None
    assert client.get("/admin/alamat-publik").status_code == 200


def test_pages_that_print_qr_codes_show_admins_a_banner(no_config, users, client, login):
    login(users["admin"])
    for path in ("/laporan/rdp/baru", "/laporan/rdp", "/aset/"):
        page = client.get(path).get_data(as_text=True)
        assert 'data-testid="public-url-banner"' in page and "PUBLIC_BASE_URL" in page, path
    login(users["petugas"])
    assert 'data-testid="public-url-banner"' not in client.get("/laporan/rdp").get_data(
        as_text=True
    )
    no_config.config["PUBLIC_BASE_URL"] = f"https://{HOST}"
    login(users["admin"])
    assert 'data-testid="public-url-banner"' not in client.get("/laporan/rdp/baru").get_data(
        as_text=True
    )


def test_notification_links_read_the_same_setting(no_config, users):
    from assets_app.notify.services import base_url_warning
    from assets_app.notify.services import public_url as link

    assert "PUBLIC_BASE_URL" in base_url_warning()
    public_url.save(users["admin"], f"https://{HOST}")
    db.session.commit()
    assert link("/tiket/1") == f"https://{HOST}/tiket/1"
    assert base_url_warning() is None
