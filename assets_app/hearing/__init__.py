"""DPRD accountability: summary of every domain's numbers, dashboard, hearing packet (PDF +
XLSX), archive with SHA-256 and public verification."""

from assets_app.common.permissions import ROLES, define

define("reports.view", *ROLES)
define("reports.generate", "admin", "kadis", "petugas", "dprd")
define("reports.approve", "kadis")  # approving a packet (never its own preparer)


def init_app(app):
    from assets_app.extensions import api
    from assets_app.hearing import api as hearing_api
    from assets_app.hearing import (
        dashboard,  # noqa: F401  (registers the home section)
        models,  # noqa: F401  (tables for migrations)
        views,
    )
    from assets_app.hearing.cli import reports_cli

    app.config.setdefault("HEARING_KOP_ADDRESS", "")
    app.config.setdefault("VERIFY_UPLOAD_RATE_LIMIT", "30 per minute")
    app.register_blueprint(views.bp)
    app.register_blueprint(views.public_bp)
    api.register_blueprint(hearing_api.blp)
    app.cli.add_command(reports_cli)
