"""Equipment register (KIB B), status and downtime, daily usage, idle detection, coverage."""


def init_app(app):
    from assets_app.assets import (
        api,
        models,  # noqa: F401  (tables for migrations)
        panels,
        services,  # noqa: F401  (defines the permissions)
        settings,
        views,
    )
    from assets_app.assets.cli import assets_cli
    from assets_app.extensions import api as rest
    from assets_app.regions.panels import region_panel

    app.config.setdefault("IDLE_WINDOW_DAYS", settings.IDLE_WINDOW_DAYS)
    app.register_blueprint(views.bp)
    for blp in api.BLUEPRINTS:
        rest.register_blueprint(blp)
    app.cli.add_command(assets_cli)
    panels.register(region_panel)
