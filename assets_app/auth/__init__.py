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
    def _load_user(session_id: str):
        """The cookie's user, if still active and the cookie's session version is the
        user's (`User.get_id`); anything else (an older cookie, one from before versions)
        is no session: the login page."""
        user_id, _, version = (session_id or "").partition(":")
        if not (user_id.isdigit() and version.isdigit()) or len(user_id) > 12:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user
