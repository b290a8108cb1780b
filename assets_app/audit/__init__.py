def init_app(app):
    from assets_app.audit import (
        listener,  # noqa: F401  (registers the session hooks)
        views,
    )

    app.register_blueprint(views.bp)
