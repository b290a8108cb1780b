"""Officials (pejabat): who signs each kind of document of a kab/kota, with NIP and rank."""

from assets_app.common.permissions import define

define("officials.view", "admin", "kadis", "petugas")
define("officials.write", "admin", "kadis")


def init_app(app):
    from assets_app.extensions import api
    from assets_app.officials import (
        api as officials_api,
    )
    from assets_app.officials import (
        models,  # noqa: F401  (tables for migrations)
        views,
    )

    app.register_blueprint(views.bp)
    api.register_blueprint(officials_api.blp)
