from assets_app.common.permissions import ROLES, define

define("inbox.view", *ROLES)  # the "Perlu tindakan" inbox (core.inbox)
define("install.settings", "admin")  # installation-wide settings (admin without a region)


def init_app(app):
    from assets_app.core import models, public_url, views  # noqa: F401  (models: tables)
    from assets_app.core.cli import demo_cli
    from assets_app.core.errors import register_error_handlers
    from assets_app.core.rollups import rollups_cli

    app.register_blueprint(views.bp)
    app.cli.add_command(demo_cli)
    app.cli.add_command(rollups_cli)
    register_error_handlers(app)
    app.jinja_env.globals["public_url_banner"] = _public_url_banner


def _public_url_banner(url: str | None = None) -> str | None:
    """For templates that print a QR/URL: the warning for admins, else None."""
    from flask import request
    from flask_login import current_user

    from assets_app.core.public_url import banner_for, base_url

    if getattr(current_user, "role", None) != "admin":  # (admins only: no setting to read)
        return None
    return banner_for(current_user, url if url is not None else base_url(request.host_url))
