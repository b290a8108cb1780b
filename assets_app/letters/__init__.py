"""Official letters (surat dinas): generic, used by tickets and by the blanko requests."""

from assets_app.common.permissions import ROLES, define

define("letters.view", *ROLES)
define("letters.write", "petugas", "kadis", "admin")
define("letters.sign", "kadis")
define("letters.settings", "admin")


def init_app(app):
    from assets_app.extensions import api as rest_api
    from assets_app.letters import (
        api,
        models,  # noqa: F401  (tables for migrations)
        views,
    )

    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
