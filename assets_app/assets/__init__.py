def init_app(app):
    from assets_app.assets import models  # noqa: F401  (tables for migrations)
