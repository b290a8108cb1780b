from assets_app.common.permissions import ROLES, define

define("inbox.view", *ROLES)  # the "Perlu tindakan" inbox (core.inbox)


def init_app(app):
    from assets_app.core import views
    from assets_app.core.cli import demo_cli
    from assets_app.core.errors import register_error_handlers

    app.register_blueprint(views.bp)
    app.cli.add_command(demo_cli)
    register_error_handlers(app)
