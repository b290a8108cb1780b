def init_app(app):
    from assets_app.extensions import api
    from assets_app.regions import api as regions_api
    from assets_app.regions import views
    from assets_app.regions.cli import regions_cli

    app.register_blueprint(views.bp)
    api.register_blueprint(regions_api.blp)
    app.cli.add_command(regions_cli)
