"""Kept for imports of the assets domain; the one definition is `assets_app.common.timeutil`."""

from assets_app.common.timeutil import (  # noqa: F401
    end_of_day,
    start_of_day,
    today_wib,
    utcnow,
    wib_local_to_utc,
)

now_utc = utcnow
