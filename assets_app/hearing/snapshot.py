"""The whole installation's summary, stored as of one moment by the `ringkasan_instalasi` job
and read by the pages and the API of a whole-installation user for the default period.

At national scale the live summary computes 7,800 kecamatan from the rollups and the
registers: seconds, every time a page is opened. The stored one is the same computation
(`build_summary`), done by the job every 5 minutes, and read in milliseconds. Like every
summary its point-in-time figures are as of one moment, the snapshot's `as_of`, which the
page states ("keadaan per 2 Desember 2026 14.05 WIB"); its flows run from the period's start
up to that moment. It is read only while it is at most MAX_AGE old and of today's default
period; otherwise the page computes live. An installation with fewer than
SUMMARY_SNAPSHOT_MIN_KECAMATAN kecamatan stores none: its live summary is fast, and newer.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from assets_app.common.timeutil import today_wib, utcnow
from assets_app.extensions import db
from assets_app.hearing.models import SummarySnapshot
from assets_app.hearing.period import default_period
from assets_app.hearing.summary import KabkotaRow, Summary, build_summary
from assets_app.regions.models import Region
from assets_app.regions.scope import user_scope
from reports.hearing_data import Figures

MAX_AGE = timedelta(minutes=15)  # three runs of the 5-minute job
DEFAULT_MIN_KECAMATAN = 1_000


def min_kecamatan() -> int:
    return int(current_app.config.get("SUMMARY_SNAPSHOT_MIN_KECAMATAN", DEFAULT_MIN_KECAMATAN))


def refresh(now: datetime | None = None) -> str:
    """Computes and stores the whole installation's summary for today's default period
    (replacing the stored one); returns what it did, in a sentence for the job's log."""
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Region).where(Region.level == "kecamatan")
    )
    if count < min_kecamatan():
        db.session.execute(sa.delete(SummarySnapshot))
        return (
            f"dilewati: {count} kecamatan, kurang dari {min_kecamatan()} "
            "(ringkasan dihitung langsung di halaman)."
        )
    now = now or utcnow()
    today = today_wib(now)
    start, end = default_period(today)
    started = time.perf_counter()
    summary = build_summary(None, None, start, end, today, now=now, by="kabkota")
    took_ms = round((time.perf_counter() - started) * 1000)

    def dumps(payload: dict) -> str:  # as the API's response would serialize it (compact)
        return current_app.json.dumps(payload, separators=(",", ":")) + "\n"

    snapshot = SummarySnapshot(
        period_start=start,
        period_end=end,
        as_of=summary.as_of,
        took_ms=took_ms,
        kecamatan_count=summary.kecamatan_count,
        summary_json=json.dumps(_encode(summary)),
        api_kecamatan_json=dumps(replace(summary, by="kecamatan").as_api()),
        api_kabkota_json=dumps(summary.as_api()),
    )
    db.session.execute(sa.delete(SummarySnapshot))
    db.session.add(snapshot)
    db.session.flush()
    return (
        f"{summary.kecamatan_count} kecamatan, {len(summary.kabkota)} baris kab/kota, "
        f"{start.isoformat()} s.d. {end.isoformat()}, dihitung dalam {took_ms} ms."
    )


def _stored(user, region, start: date, end: date, column) -> str | None:
    """One stored answer (`column`, a JSON text) when the snapshot answers this request
    exactly: the whole installation (no region, and the user's scope), today's default
    period, at most MAX_AGE old. Only that column is read (the API's by kecamatan is ~10 MB)."""
    if region is not None or user_scope(user) is not None or (start, end) != default_period():
        return None
    now = utcnow()
    return db.session.scalar(
        sa.select(column)
        .where(
            SummarySnapshot.period_start == start,
            SummarySnapshot.period_end == end,
            SummarySnapshot.as_of >= now - MAX_AGE,
            SummarySnapshot.as_of <= now,
        )
        .order_by(SummarySnapshot.as_of.desc())
        .limit(1)
    )


def stored_summary(user, region, start: date, end: date, by: str) -> Summary | None:
    """The page's summary (grouped by kab/kota) from the snapshot, or None: compute live."""
    if by != "kabkota":
        return None
    text = _stored(user, region, start, end, SummarySnapshot.summary_json)
    return _decode(json.loads(text)) if text is not None else None


def stored_api(user, region, start: date, end: date, by: str) -> str | None:
    """The API's JSON answer from the snapshot (exactly what `as_api` gave), or None."""
    column = (
        SummarySnapshot.api_kabkota_json if by == "kabkota" else SummarySnapshot.api_kecamatan_json
    )
    return _stored(user, region, start, end, column)


def _encode(s: Summary) -> dict:
    return {
        "scope_name": s.scope_name,
        "start": s.start.isoformat(),
        "end": s.end.isoformat(),
        "today": s.today.isoformat(),
        "as_of": s.as_of.isoformat(),
        "available": sorted(s.available),
        "kecamatan_count": s.kecamatan_count,
        "total": s.total.as_dict(),
        "kabkota": [
            [r.region_code, r.name, r.level, r.kecamatan_count, r.figures.as_dict()]
            for r in s.kabkota
        ],
    }


def _decode(data: dict) -> Summary:
    return Summary(
        region_code=None,
        scope_name=data["scope_name"],
        start=date.fromisoformat(data["start"]),
        end=date.fromisoformat(data["end"]),
        today=date.fromisoformat(data["today"]),
        rows=(),
        total=Figures.from_dict(data["total"]),
        available=frozenset(data["available"]),
        as_of=datetime.fromisoformat(data["as_of"]),
        by="kabkota",
        kabkota=tuple(
            KabkotaRow(code, name, level, Figures.from_dict(figures), count)
            for code, name, level, count, figures in data["kabkota"]
        ),
        kecamatan_total=data["kecamatan_count"],
        from_snapshot=True,
    )
