"""Operators and training: sessions, attendance, certificates with expiry, and the "no trained
operator" gap per kecamatan and equipment category."""

from assets_app.common.permissions import ROLES, define

define("training.view", *ROLES)
define("training.write", "admin", "kadis", "petugas")
# NIP, phone and certificate documents: not for the DPRD (names only).
define("training.personal", "admin", "kadis", "petugas", "camat")
# Validity months per topic: an installation-wide setting.
define("training.settings", "admin")


def init_app(app):
    from assets_app.core.registry import demo_step, nav_item
    from assets_app.extensions import api
    from assets_app.regions.panels import region_panel
    from assets_app.training import api as training_api
    from assets_app.training import (
        models,  # noqa: F401  (tables for migrations)
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(views.public_bp)
    api.register_blueprint(training_api.operators_blp)
    api.register_blueprint(training_api.trainings_blp)
    api.register_blueprint(training_api.gaps_blp)

    nav_item("Kesenjangan pelatihan", "training.gaps_matrix", "training.view", 60, "Pelatihan")
    nav_item("Sesi pelatihan", "training.trainings", "training.view", 61, "Pelatihan")
    nav_item("Operator", "training.operators", "training.view", 62, "Pelatihan")
    nav_item("Masa berlaku sertifikat", "training.settings", "training.settings", 63, "Pelatihan")

    @region_panel(
        "training",
        "Operator & pelatihan",
        "training/_region_panel.html",
        order=40,
        levels=("kecamatan",),
    )
    def _panel(region, user):
        from assets_app.training.panel import panel_context

        return panel_context(region, user)

    @demo_step("Pelatihan", order=30)
    def _demo():
        from assets_app.training.demo import load_demo

        return load_demo()
