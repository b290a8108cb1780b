"""Rekapitulasi harian: per kab/kota per day, the shape provinces ask every kab/kota for —
rekam, cetak KTP-el, cetak KK, suket (surat keterangan pengganti KTP-el; all four from the
same daily usage reports, assets domain) and the blanko on hand at the end of the day (blanko
domain).

Bounded: one query for the kab/kota, one for the usage, two for the blanko, whatever the
number of kab/kota or days."""

from __future__ import annotations

from datetime import date, timedelta

from assets_app.assets import queries as assets
from assets_app.blanko import queries as blanko
from assets_app.common.errors import ValidationFailed
from assets_app.common.formatting import tanggal
from assets_app.hearing import services
from assets_app.hearing.period import parse_period
from assets_app.regions.services import regions_in_scope
from reports.recap_xlsx import RecapLine, RecapSheet

MAX_DAYS = 31


def build_recap(user, region_code: str | None, raw_start, raw_end, fields=("from", "to")):
    """The recap sheet of the area (province, kab/kota or the user's scope) for [start, end];
    at most MAX_DAYS days."""
    region = services.resolve_region(user, region_code)
    if region is not None and region.level == "kecamatan":
        raise ValidationFailed(
            errors={
                "region": [
                    "Rekapitulasi harian disusun per kabupaten/kota: pilih provinsi "
                    "atau kabupaten/kota."
                ]
            }
        )
    start, end = parse_period(raw_start, raw_end, fields=fields)
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationFailed(
            errors={fields[1]: [f"Rentang rekapitulasi paling lama {MAX_DAYS} hari."]}
        )
    root = region.code if region else None
    kabkota = regions_in_scope(user, level="kabkota", within=root)
    usage = assets.usage_by_kabkota_day(user, root, start, end)
    remaining = blanko.closing_by_kabkota_day(user, root, start, end)
    lines = []
    day = start
    while day <= end:
        for kab in kabkota:
            u = usage.get((kab.code, day), {})
            lines.append(
                RecapLine(
                    day=day,
                    region_code=kab.code,
                    name=kab.name,
                    rekam=u.get("rekam", 0),
                    cetak_ktp=u.get("cetak_ktp", 0),
                    cetak_kk=u.get("cetak_kk", 0),
                    suket=u.get("suket", 0),
                    reports=u.get("reports", 0),
                    blanko_remaining=remaining.get((kab.code, day), 0),
                )
            )
        day += timedelta(days=1)
    if region is None:
        scope = "Seluruh instalasi"
    else:
        scope = f"Provinsi {region.name}" if region.level == "provinsi" else region.name
    return RecapSheet(
        scope=scope,
        start=start,
        end=end,
        lines=tuple(lines),
        period_label=f"{tanggal(start)} s.d. {tanggal(end)}",
    )


def default_day() -> date:
    from assets_app.common.timeutil import today_wib

    return today_wib() - timedelta(days=1)
