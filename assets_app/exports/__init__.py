"""Big exports as background work: a stored job (`export_jobs`) per export above a row
threshold, written by a worker thread of the web process into the instance folder, polled by
the job page, downloaded by whoever may see its rows, removed when it expires."""


def init_app(app):
    from assets_app.exports import (
        models,  # noqa: F401  (tables for migrations)
        views,
    )
    from assets_app.exports.cli import exports_cli

    app.config.setdefault("EXPORT_JOB_THRESHOLD", 5000)
    app.config.setdefault("EXPORT_KEEP_HOURS", 24)
    app.config.setdefault("EXPORT_WORKERS", 1)
    app.config.setdefault("EXPORT_STALE_SECONDS", 120)
    app.config.setdefault("EXPORT_MAX_ACTIVE_PER_USER", 3)
    app.register_blueprint(views.bp)
    app.cli.add_command(exports_cli)
