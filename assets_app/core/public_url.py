"""The public base URL: the address printed in QR codes (asset labels, packet cover and
footers, certificates), verification links and notification links.

Precedence: the `PUBLIC_BASE_URL` configuration (environment/instance config, set by whoever
runs the server) wins; otherwise the admin setting on `/admin/alamat-publik` (installation-
wide, an admin without a region); otherwise nothing. Whoever prints an address with an unset or
loopback base (`localhost`, `127.0.0.1`, `::1`, `0.0.0.0`, empty) warns: a CLI command on
stderr, a page with a banner for admins (`warning()`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, g, has_app_context

from assets_app.common.errors import ValidationFailed
from assets_app.common.validate import control_message, forbidden_char
from assets_app.extensions import db

KEY = "public_base_url"
FALLBACK = "http://127.0.0.1:5000"  # what a CLI prints when nothing is set (with a warning)
_CACHE = "_public_base_url"
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", ""})


def configured() -> str:
    """`PUBLIC_BASE_URL` from the configuration, without a trailing slash ('' when unset)."""
    if not has_app_context():
        return ""
    return (current_app.config.get("PUBLIC_BASE_URL") or "").strip().rstrip("/")


def stored() -> str:
    """The admin setting ('' when never saved); read once per app context (a request, a
    command), so a page of many QR codes or links costs one query."""
    from assets_app.core.models import InstallSetting

    if _CACHE in g:
        return g.get(_CACHE)
    row = db.session.get(InstallSetting, KEY)
    value = (row.value if row else "").strip().rstrip("/")
    setattr(g, _CACHE, value)
    return value


def source() -> str | None:
    """Where the base URL comes from: "config", "pengaturan" or None."""
    if configured():
        return "config"
    return "pengaturan" if stored() else None


def base_url(fallback: str | None = None) -> str:
    """The public base URL (config, then the admin setting), else `fallback` (e.g. the
    request's own host on a web page), else ''."""
    return configured() or stored() or (fallback or "").rstrip("/")


def cli_base_url() -> str:
    """The base for a command that prints QR codes/links: the setting, else FALLBACK."""
    return base_url() or FALLBACK


def is_loopback(url: str) -> bool:
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return True
    return host in LOOPBACK or host.startswith("127.")


def warning(url: str | None = None) -> str | None:
    """The Indonesian warning when QR codes and links would carry `url` (default: the
    effective base URL) that nobody else can open; None when the address is public."""
    url = base_url() if url is None else url
    if not url:
        return (
            "PUBLIC_BASE_URL belum diatur: kode QR dan tautan memakai alamat server ini "
            f"({FALLBACK}) yang tidak dapat dibuka dari luar. Atur PUBLIC_BASE_URL atau "
            "alamat publik di Admin → Alamat publik."
        )
    if is_loopback(url):
        return (
            f"PUBLIC_BASE_URL ({url}) hanya dapat dibuka dari server ini: kode QR dan tautan "
            "tidak akan bisa dipindai dari luar. Atur alamat publik yang benar."
        )
    return None


def banner_for(user, url: str | None = None) -> str | None:
    """The warning for a page that prints a QR/URL (`url`: the base it uses, e.g. the
    request's own address when nothing is set), shown to admins only."""
    if getattr(user, "role", None) != "admin":
        return None
    url = base_url() if url is None else url
    if url and not base_url() and is_loopback(url):
        return (
            "PUBLIC_BASE_URL belum diatur: kode QR dan tautan di halaman ini memakai alamat "
            f"permintaan ({url.rstrip('/')}) yang hanya dapat dibuka dari server ini. Atur "
            "PUBLIC_BASE_URL atau alamat publik."
        )
    return warning(url)


def check_url(value: str) -> str:
    """A public base URL as typed: http(s)://host[:port][/path], no query; '' clears it."""
    value = (value or "").strip()
    bad = forbidden_char(value)
    if bad is not None:
        raise ValidationFailed(errors={"url": [control_message(bad)]})
    if not value:
        return ""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        raise ValidationFailed(errors={"url": ["Alamat tidak valid."]}) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed(
            errors={"url": ["Tulis alamat lengkap, mis. https://aset.bondowosokab.go.id."]}
        )
    if parts.query or parts.fragment or len(value) > 300:
        raise ValidationFailed(errors={"url": ["Alamat tanpa ?… atau #…, maksimal 300 karakter."]})
    if is_loopback(value):
        raise ValidationFailed(
            errors={
                "url": ["Alamat ini hanya dapat dibuka dari server sendiri; isi alamat publik."]
            }
        )
    return value.rstrip("/")


def save(by, value: str) -> str:
    """Admin without a region only (installation-wide setting)."""
    from assets_app.core.models import InstallSetting
    from assets_app.regions.services import require_setting_scope

    require_setting_scope(by, None)
    clean = check_url(value)
    row = db.session.get(InstallSetting, KEY) or InstallSetting(key=KEY)
    row.value, row.updated_by_id = clean, getattr(by, "id", None)
    db.session.add(row)
    db.session.flush()
    setattr(g, _CACHE, clean)
    return clean
