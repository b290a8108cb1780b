"""Repair tickets from the kecamatan: workflow, SLA clocks, escalation, letters, notifications."""

from assets_app.common.permissions import ROLES, define

define("tickets.view", *ROLES)
define("tickets.file", "camat", "petugas", "kadis", "admin")
define("tickets.comment", "camat", "petugas", "kadis", "admin")
define("tickets.handle", "petugas", "kadis", "admin")
define("sla.manage", "admin")
define("notifications.view", *ROLES)


def init_app(app):
    from flask_login import current_user

    from assets_app.extensions import api
    from assets_app.tickets import api as tickets_api
    from assets_app.tickets import badges, demo, panels, views  # noqa: F401  (registers panel, demo)
    from assets_app.tickets.attachments import discard_unsaved_files
    from assets_app.tickets.cli import tickets_cli

    app.register_blueprint(views.bp)
    badges.init_app(app)
    app.jinja_env.filters["ticket_links"] = views.link_ticket_numbers
    api.register_blueprint(tickets_api.blp)
    app.cli.add_command(tickets_cli)
    app.teardown_request(discard_unsaved_files)  # files of a refused request go

    @app.context_processor
    def _notifications():
        def unread_notifications() -> int:
            if not current_user.is_authenticated:
                return 0
            from assets_app.tickets.notifications import unread_count

            return unread_count(current_user)

        return {"unread_notifications": unread_notifications}
