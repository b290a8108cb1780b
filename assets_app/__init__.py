"""Aset Dukcapil: the Flask application factory."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from flask import Flask, g, request
from flask_login import current_user

from assets_app import extensions as ext
from assets_app.common import params, uow
from assets_app.config import CONFIGS, _secret_key, default_sqlite_uri

ROOT = Path(__file__).resolve().parent.parent

# Each domain package exposes init_app(app): blueprints, API, CLI, panels, navigation.
DOMAINS = (
    "assets_app.core",
    "assets_app.regions",
    "assets_app.auth",
    "assets_app.audit",
    "assets_app.assets",
    "assets_app.training",
    "assets_app.letters",
    "assets_app.tickets",
    "assets_app.blanko",
    "assets_app.hearing",
    "assets_app.notify",
    "assets_app.inventory",
    "assets_app.field",
    "assets_app.officials",
    "assets_app.exports",
)

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(config: str | type | dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    _configure(app, config)
    params.init_app(app)
    _init_extensions(app)
    for name in DOMAINS:
        importlib.import_module(name).init_app(app)
    _init_security(app)
    _init_templates(app)
    return app


def _configure(app: Flask, config) -> None:
    if isinstance(config, str) or config is None:
        name = config or os.environ.get("APP_ENV", "development")
        app.config.from_object(CONFIGS[name])
    elif isinstance(config, dict):
        app.config.from_object(CONFIGS["testing"])
        app.config.update(config)
    else:
        app.config.from_object(config)
    app.config.from_pyfile("config.py", silent=True)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = default_sqlite_uri(app.instance_path)
    # API requests authenticate with a bearer token, never the session cookie, so CSRF is
    # enforced here for everything except /api/.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False


def _init_extensions(app: Flask) -> None:
    ext.db.init_app(app)
    ext.migrate.init_app(app, ext.db, directory=str(ROOT / "migrations"))
    ext.login_manager.init_app(app)
    ext.login_manager.login_view = "auth.login"
    ext.login_manager.login_message = "Silakan masuk untuk membuka halaman ini."
    ext.login_manager.login_message_category = "warning"
    ext.csrf.init_app(app)
    ext.babel.init_app(app, default_locale="id", default_timezone="Asia/Jakarta")
    ext.bootstrap.init_app(app)
    ext.limiter.init_app(app)
    ext.api.init_app(app)
    uow.init_app(app)

    @app.before_request
    def _csrf_and_api_auth():
        if request.path.startswith("/api/"):
            from assets_app.api.auth import authenticate_api_request

            return authenticate_api_request()
        if (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and request.url_rule is not None
            and app.config.get("WTF_CSRF_ENABLED", True)
        ):
            ext.csrf.protect()
        return None


def _init_security(app: Flask) -> None:
    @app.after_request
    def _headers(resp):
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        if request.path.startswith("/api/") or getattr(g, "no_store", False):
            resp.headers.setdefault("Cache-Control", "no-store")
        return resp


def _init_templates(app: Flask) -> None:
    from assets_app.common import formatting
    from assets_app.common.permissions import can
    from assets_app.core.registry import NAV, nav_badge

    app.jinja_env.filters.update(
        rupiah=formatting.rupiah,
        angka=formatting.number,
        persen=formatting.percent,
        tanggal=formatting.tanggal,
        waktu=formatting.waktu,
    )

    @app.context_processor
    def _globals():
        # the user itself, not the proxy: the menu asks `can` some forty times per page
        user = current_user._get_current_object()

        def nav_for_user():
            """Top-level links and dropdown groups, in the order of their first item."""
            if not user.is_authenticated:
                return []
            entries: list[dict] = []
            groups: dict[str, dict] = {}
            for item in NAV:
                if not can(user, item.action):
                    continue
                if item.group is None:
                    entries.append({"item": item})
                elif item.group in groups:
                    groups[item.group]["items"].append(item)
                else:
                    groups[item.group] = {"group": item.group, "items": [item]}
                    entries.append(groups[item.group])
            return entries

        return {
            "can": lambda action: can(user, action),
            "nav_for_user": nav_for_user,
            "nav_badge": lambda key: nav_badge(key, user),
        }

    # A global, not a context variable: imported macros (pagination) see globals only.
    app.jinja_env.globals["url_self"] = url_self


def url_self(**overrides) -> str:
    """The current page's URL with some query arguments replaced (pagination, sorting)."""
    from flask import url_for

    args = request.args.to_dict()
    args.update({k: v for k, v in overrides.items() if v is not None})
    for k in [k for k, v in overrides.items() if v is None]:
        args.pop(k, None)
    return url_for(request.endpoint, **(request.view_args or {}), **args)
