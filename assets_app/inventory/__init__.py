"""Inventarisasi: stock-taking of the equipment by scanning its QR labels with a phone."""

from assets_app.common.permissions import define

define("inventory.view", "admin", "kadis", "petugas", "camat", "dprd")
define("inventory.scan", "admin", "kadis", "petugas", "camat")
define("inventory.open", "admin", "kadis", "petugas", "camat")
define("inventory.confirm", "kadis")


def init_app(app):
    from assets_app.inventory import models  # noqa: F401  (tables for migrations)
