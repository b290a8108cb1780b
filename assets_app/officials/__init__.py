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
    app.jinja_env.globals["signer_missing"] = _signer_missing
    api.register_blueprint(officials_api.blp)


def _signer_missing(region_code: str | None, kind: str) -> bool:
    """For templates: no official signs `kind` in that kab/kota today (warn before signing)."""
    from assets_app.officials import services

    return bool(region_code) and services.signer_of(region_code, kind) is None
