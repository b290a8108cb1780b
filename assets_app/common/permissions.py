"""Who may do what. Each domain declares its actions here at import time; views, API and
services ask `can(user, action)` so the rule lives in one table per action."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

ROLES = ("admin", "kadis", "petugas", "camat", "dprd")
ROLE_LABELS = {
    "admin": "Administrator",
    "kadis": "Kepala Dinas",
    "petugas": "Petugas Aset",
    "camat": "Camat / Operator Kecamatan",
    "dprd": "DPRD Komisi I",
}

_ACTIONS: dict[str, frozenset[str]] = {}


def define(action: str, *roles: str) -> str:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"peran tidak dikenal: {unknown}")
    _ACTIONS[action] = frozenset(roles)
    return action


def roles_for(action: str) -> frozenset[str]:
    return _ACTIONS[action]


def can(user, action: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role in _ACTIONS[action]


def require(action: str):
    """View decorator: 403 unless the logged-in user's role may do `action`."""
    if action not in _ACTIONS:
        raise KeyError(action)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from assets_app.extensions import login_manager

                return login_manager.unauthorized()
            if not can(current_user, action):
                abort(403)
            from assets_app.regions.scope import check_region_param

            check_region_param()
            return view(*args, **kwargs)

        return wrapped

    return decorator


# Foundation actions; domains add theirs in their own modules.
define("users.manage", "admin")
define("audit.view", "admin", "kadis")
define("regions.view", *ROLES)
define("tokens.own", *ROLES)
