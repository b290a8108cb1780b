DEMO_PASSWORD = "dukcapil-demo"
# (username, role, region, name): one per role, scoped the way a real office would be.
DEMO_USERS = (
    ("admin", "admin", None, "Administrator Sistem"),
    ("kadis.bondowoso", "kadis", "35.11", "Kepala Dinas Dukcapil Bondowoso"),
    ("petugas.bondowoso", "petugas", "35.11", "Petugas Aset Bondowoso"),
    ("camat.pujer", "camat", "35.11.05", "Operator Kec. Pujer"),
    ("dprd.bondowoso", "dprd", "35.11", "Komisi I DPRD Bondowoso"),
    ("petugas.serang", "petugas", "36.73", "Petugas Aset Kota Serang"),
    ("camat.cipocok", "camat", "36.73.05", "Operator Kec. Cipocok Jaya"),
    ("kadis.bekasi", "kadis", "32.16", "Kepala Dinas Dukcapil Kab. Bekasi"),
    ("petugas.bekasi", "petugas", "32.16", "Petugas Aset Kab. Bekasi"),
    ("petugas.depok", "petugas", "32.76", "Petugas Aset Kota Depok"),
)


def init_app(app):
    from assets_app.auth import views
    from assets_app.auth.cli import users_cli
    from assets_app.auth.models import User
    from assets_app.extensions import db, login_manager

    app.register_blueprint(views.bp)
    app.cli.add_command(users_cli)

    @login_manager.user_loader
    def _load_user(user_id: str):
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None
