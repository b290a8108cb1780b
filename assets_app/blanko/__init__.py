"""Blanko KTP-el stock: ledger per location, transfers with receipt, write-off approval."""

from assets_app.common.permissions import ROLES, define

define("blanko.view", *ROLES)
define("blanko.write", "admin", "kadis", "petugas")
# Confirming a transfer at its destination; a camat only for their own kecamatan (scope).
define("blanko.receive", "admin", "kadis", "petugas", "camat")
# Recording use and damaged cards (and returns) at a location in scope.
define("blanko.use", "admin", "kadis", "petugas", "camat")
define("blanko.approve", "kadis")


def init_app(app):
    from assets_app.blanko import api, models, views  # noqa: F401  (models: tables)
    from assets_app.blanko.cli import blanko_cli
    from assets_app.extensions import api as rest_api
    from assets_app.regions.panels import region_panel

    app.register_blueprint(views.bp)
    # For the location links of the blanko macros (imported macros see globals only): a
    # location out of the user's scope is shown as text, never as a link to a 404.
    app.jinja_env.globals["location_visible"] = views.location_visible
    rest_api.register_blueprint(api.blp)
    app.cli.add_command(blanko_cli)

    @region_panel(
        "blanko",
        "Stok blanko KTP-el",
        "blanko/_panel.html",
        order=40,
        levels=("kabkota", "kecamatan"),
    )
    def _panel(region, user):
        from assets_app.blanko import queries
        from assets_app.common.permissions import can

        if not can(user, "blanko.view"):
            return None
        return {"row": queries.location_row(user, region.code)}
