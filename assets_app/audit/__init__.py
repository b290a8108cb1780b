def init_app(app):
    from assets_app.audit import (
        listener,  # noqa: F401  (registers the session hooks)
        views,
    )
    from assets_app.core.registry import nav_item

    app.register_blueprint(views.bp)
    nav_item("Log Audit", "audit.index", "audit.view", order=91, group="Admin")
