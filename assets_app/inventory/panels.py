"""The kecamatan page's panel: the latest inventarisasi covering it."""

from __future__ import annotations

from assets_app.common.permissions import can
from assets_app.inventory import queries


def last_session_panel(region, user) -> dict | None:
    if not can(user, "inventory.view"):
        return None
    session = queries.latest_session_for(user, region.code)
    if session is None:
        return {"session": None, "groups": None, "region": region}
    return {"session": session, "groups": queries.groups_of(session, user), "region": region}
