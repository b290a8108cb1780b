"""Extension singletons, bound to the app in create_app()."""

import sqlalchemy as sa
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from assets_app.api.base import Api
from assets_app.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
api = Api()


@sa.event.listens_for(sa.engine.Engine, "do_connect")
def _postgres_jit_off(dialect, conn_rec, cargs, cparams):
    """JIT compilation costs the big report queries 150–600 ms each and saves nothing at this
    size, so PostgreSQL connections start with it off (as `connect_args` options would: no
    extra round trip; options already in the URL are kept)."""
    if dialect.name == "postgresql":
        cparams["options"] = f"{cparams.get('options', '')} -c jit=off".strip()
