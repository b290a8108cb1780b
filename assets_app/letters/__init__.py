"""Official letters (surat dinas): generic, used by tickets and by the blanko requests."""

from assets_app.common.permissions import ROLES, define

define("letters.view", *ROLES)
define("letters.write", "petugas", "kadis", "admin")
define("letters.sign", "kadis")
define("letters.settings", "admin")


def init_app(app):
    from assets_app.core.registry import nav_item
    from assets_app.letters import (
        models,  # noqa: F401  (tables for migrations)
        views,
    )

    app.register_blueprint(views.bp)
    nav_item("Surat", "letters.index", "letters.view", order=35)
    nav_item("Pengaturan surat", "letters.settings", "letters.settings", order=92, group="Admin")
