"""Official letters (surat dinas): generic, used by tickets and by the blanko requests."""

from assets_app.common.permissions import ROLES, define

define("letters.view", *ROLES)
define("letters.write", "petugas", "kadis", "admin")
define("letters.sign", "kadis")
define("letters.settings", "admin")


def init_app(app):
    from assets_app.letters import (
        models,  # noqa: F401  (tables for migrations)
        views,
    )

    app.register_blueprint(views.bp)
