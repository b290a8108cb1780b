def init_app(app):
    from assets_app.extensions import api
    from assets_app.regions import api as regions_api
    from assets_app.regions import views
    from assets_app.regions.cli import regions_cli
    from assets_app.regions.scope import check_region_param

    app.register_blueprint(views.bp)
    api.register_blueprint(regions_api.blp)
    app.cli.add_command(regions_cli)
    # after the API token check (registered with the extensions), so current_user is known
    app.before_request(check_region_param)
