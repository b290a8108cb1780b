"""Bearer-token authentication for /api/v1: same users, roles and scopes as the web."""

from __future__ import annotations

from flask import g, request

from assets_app.api.base import api_error

PUBLIC_PATHS = ("/api/v1/openapi.json",)


def authenticate_api_request():
    if request.path in PUBLIC_PATHS:
        return None
    from assets_app.auth.services import user_for_token

    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        api_error(401, "Token API tidak ada, salah, atau sudah dicabut.")
    # Flask-Login reads g._login_user first, so the session cookie never authorises the API.
    g._login_user = user
    return None


def require_api(action: str):
    """Aborts with a JSON 403 unless the token's user may do `action`."""
    from flask_login import current_user

    from assets_app.common.permissions import can
    from assets_app.regions.scope import check_region_param

    if not can(current_user, action):
        api_error(403, "Peran Anda tidak diizinkan melakukan tindakan ini.")
    check_region_param()
