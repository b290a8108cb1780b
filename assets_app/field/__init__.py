"""Field reporting: the kecamatan's daily report (offline-capable, exactly once), reporting
compliance over the API, and the public service board of a kab/kota."""

from assets_app.common.permissions import ROLES, define

define("daily.file", "admin", "kadis", "petugas", "camat")
define("daily.view", *ROLES)
define("board.manage", "admin", "kadis", "petugas")


def init_app(app):
    from assets_app.extensions import api as rest
    from assets_app.field import api, models, views  # noqa: F401  (models: tables)

    app.register_blueprint(views.bp)
    for blp in api.BLUEPRINTS:
        rest.register_blueprint(blp)
