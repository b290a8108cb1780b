"""Inventarisasi: stock-taking of the equipment by scanning its QR labels with a phone."""

from assets_app.common.permissions import define

define("inventory.view", "admin", "kadis", "petugas", "camat", "dprd")
define("inventory.scan", "admin", "kadis", "petugas", "camat")
define("inventory.open", "admin", "kadis", "petugas", "camat")
define("inventory.confirm", "kadis")


def init_app(app):
    from assets_app.extensions import api as rest
    from assets_app.inventory import (
        api,
        models,  # noqa: F401  (tables for migrations)
        panels,
        views,
    )
    from assets_app.regions.panels import region_panel

    app.register_blueprint(views.bp)
    rest.register_blueprint(api.blp)
    region_panel("inventory-last", "Inventarisasi terakhir", "inventory/panel.html", order=13)(
        panels.last_session_panel
    )
