"""Notices that reach people: the outbox (in-app, e-mail, WhatsApp gateway), channel
preferences, and the scheduled jobs that write notices (`flask jobs run`)."""

from assets_app.common.permissions import ROLES, define

define("notify.profile", *ROLES)
define("notify.admin", "admin")
define("notify.silent", "admin", "kadis", "petugas")


def init_app(app):
    from assets_app.notify import views
    from assets_app.notify.cli import jobs_cli, notify_cli

    app.register_blueprint(views.bp)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(notify_cli)
