"""Read-only questions of the inventarisasi: sessions in a user's scope, the expected assets,
the scans and the groups of the closing."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from assets_app.assets import queries as asset_queries
from assets_app.common.errors import NotFound
from assets_app.common.pagination import Page
from assets_app.extensions import db
from assets_app.inventory.models import (
    InventoryRegion,
    InventoryResult,
    InventoryScan,
    InventorySession,
)
from assets_app.inventory.vocab import GROUPS
from assets_app.regions.scope import (
    ancestors,
    code_in_subtree,
    scope_clause,
    subtree_clause,
    user_scope,
)


def visible_clause(user):
    """A session is visible when one of its regions lies in the user's scope, or the user's
    scope lies in one of its regions (a camat sees the kab/kota-wide session of their
    Dinas, and there only the assets of their kecamatan)."""
    scope = user_scope(user)
    if scope is None:
        return sa.true()
    region = InventoryRegion.region_code
    inside = sa.or_(scope_clause(region, user), region.in_(ancestors(scope)))
    return sa.exists(
        sa.select(InventoryRegion.id).where(
            InventoryRegion.session_id == InventorySession.id, inside
        )
    )


def sessions_stmt(user, *, status: str | None = None, region: str | None = None) -> sa.Select:
    stmt = sa.select(InventorySession).where(visible_clause(user))
    if status:
        stmt = stmt.where(InventorySession.status == status)
    if region:
        stmt = stmt.where(
            sa.exists(
                sa.select(InventoryRegion.id).where(
                    InventoryRegion.session_id == InventorySession.id,
                    sa.or_(
                        subtree_clause(InventoryRegion.region_code, region),
                        InventoryRegion.region_code.in_(ancestors(region)),
                    ),
                )
            )
        )
    return stmt


def list_sessions(user, *, status=None, page: int = 1, per_page: int = 25) -> Page:
    stmt = sessions_stmt(user, status=status)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    items = list(
        db.session.scalars(
            stmt.order_by(InventorySession.opened_at.desc(), InventorySession.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return Page(items=items, total=total, page=page, per_page=per_page)


def get_session_or_404(user, session_id: int) -> InventorySession:
    found = db.session.scalar(sessions_stmt(user).where(InventorySession.id == session_id))
    if found is None:
        raise NotFound("Inventarisasi tidak ditemukan.")
    return found


def latest_session_for(user, region_code: str) -> InventorySession | None:
    """The newest session covering this region (for the kecamatan panel)."""
    return db.session.scalar(
        sessions_stmt(user, region=region_code)
        .order_by(InventorySession.opened_at.desc(), InventorySession.id.desc())
        .limit(1)
    )


def scans_of(session: InventorySession) -> list[InventoryScan]:
    return list(
        db.session.scalars(
            sa.select(InventoryScan)
            .where(InventoryScan.session_id == session.id)
            .order_by(InventoryScan.scanned_at, InventoryScan.id)
        )
    )


def get_scan_or_404(session: InventorySession, scan_id: int) -> InventoryScan:
    scan = db.session.get(InventoryScan, scan_id)
    if scan is None or scan.session_id != session.id:
        raise NotFound("Temuan tidak ditemukan.")
    return scan


def session_covers(session: InventorySession, code: str | None) -> bool:
    return any(code_in_subtree(code, root) for root in session.region_codes)


# --- the groups of the closing -------------------------------------------------------------


@dataclass
class Line:
    """One row of a group: an asset of the register (asset_id) or an unregistered find."""

    asset_id: int | None
    kode_barang: str
    register_no: str
    name: str
    region_code: str
    region_name: str
    unit_price: int
    condition_before: str | None = None
    condition_after: str | None = None
    found_in_region: str | None = None
    found_in_name: str | None = None
    note: str | None = None
    scan_id: int | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Groups:
    expected: int
    lines: dict[str, list[Line]] = field(default_factory=lambda: {k: [] for k in GROUPS})

    def count(self, key: str) -> int:
        return len(self.lines[key])

    def value(self, key: str) -> int:
        return sum(line.unit_price for line in self.lines[key])

    @property
    def summary(self) -> list[dict]:
        return [
            {"key": k, "label": label, "count": self.count(k), "value": self.value(k)}
            for k, label in GROUPS.items()
        ]


def _sort(groups: Groups) -> Groups:
    for lines in groups.lines.values():
        lines.sort(key=lambda ln: (ln.region_code, ln.kode_barang, ln.register_no, ln.scan_id or 0))
    return groups


def groups_of(session: InventorySession, user=None) -> Groups:
    """Found / not found / condition changed / moved / unregistered with their lines: live
    from the register and the scans while the session runs, from the frozen results once
    the Kepala Dinas confirmed it. `user` narrows a live view to that user's scope."""
    scans = scans_of(session)
    frozen = session.status == "selesai"
    groups = _frozen(session, scans, user) if frozen else _live(session, scans, user)
    for scan in scans:
        if scan.asset_id is None and (user is None or _scan_visible(scan, session, user)):
            groups.lines["unregistered"].append(_unregistered_line(scan))
    _name_places(groups)
    return _sort(groups)


def _scan_visible(scan: InventoryScan, session, user) -> bool:
    place = scan.found_in_region or session.region_code
    scope = user_scope(user)
    return scope is None or code_in_subtree(place, scope) or code_in_subtree(scope, place)


def _unregistered_line(scan: InventoryScan) -> Line:
    return Line(
        asset_id=None,
        kode_barang="",
        register_no="",
        name=scan.description or "",
        region_code=scan.found_in_region or "",
        region_name="",
        unit_price=0,
        condition_after=scan.condition,
        found_in_region=scan.found_in_region,
        note=scan.note,
        scan_id=scan.id,
    )


def _live(session, scans, user) -> Groups:
    expected = asset_queries.inventory_expected(session.region_codes, user)
    by_asset = {s.asset_id: s for s in scans if s.asset_id is not None}
    groups = Groups(expected=len(expected))
    for asset in expected:
        scan = by_asset.get(asset.id)
        line = Line(
            asset_id=asset.id,
            kode_barang=asset.kode_barang,
            register_no=asset.register_no,
            name=asset.name,
            region_code=asset.region_code,
            region_name=asset.region.display_name,
            unit_price=asset.unit_price,
            condition_before=asset.condition,
        )
        if scan is None:
            groups.lines["not_found"].append(line)
            continue
        line.condition_after = scan.condition
        line.found_in_region = scan.found_in_region
        line.note = scan.note
        line.scan_id = scan.id
        _place_found(groups, line)
    return groups


def _place_found(groups: Groups, line: Line) -> None:
    groups.lines["found"].append(line)
    if line.condition_after and line.condition_after != line.condition_before:
        groups.lines["condition_changed"].append(line)
    if line.found_in_region and line.found_in_region != line.region_code:
        groups.lines["moved"].append(line)


def _frozen(session, scans, user) -> Groups:
    rows = db.session.execute(
        sa.select(InventoryResult).where(InventoryResult.session_id == session.id)
    ).scalars()
    scope = user_scope(user) if user is not None else None
    rows = [
        r
        for r in rows
        if code_in_subtree(r.region_before, scope) or code_in_subtree(r.region_after, scope)
    ]
    assets = asset_queries.assets_by_ids(r.asset_id for r in rows)
    notes = {s.asset_id: s for s in scans if s.asset_id is not None}
    names = asset_queries.region_names({r.region_before for r in rows})
    groups = Groups(expected=len(rows))
    for r in rows:
        asset = assets.get(r.asset_id)
        scan = notes.get(r.asset_id)
        line = Line(
            asset_id=r.asset_id,
            kode_barang=asset.kode_barang if asset else "",
            register_no=asset.register_no if asset else "",
            name=asset.name if asset else "",
            region_code=r.region_before,
            region_name=names.get(r.region_before, r.region_before),
            unit_price=r.unit_price,
            condition_before=r.condition_before,
            condition_after=r.condition_after,
            found_in_region=r.region_after if r.region_after != r.region_before else None,
            note=scan.note if scan else None,
            scan_id=scan.id if scan else None,
        )
        if r.result == "tidak_ditemukan":
            groups.lines["not_found"].append(line)
        else:
            _place_found(groups, line)
    return groups


def _name_places(groups: Groups) -> None:
    codes = {ln.found_in_region for lines in groups.lines.values() for ln in lines}
    codes |= {ln.region_code for ln in groups.lines["unregistered"]}
    names = asset_queries.region_names(c for c in codes if c)
    for lines in groups.lines.values():
        for ln in lines:
            if ln.found_in_region:
                ln.found_in_name = names.get(ln.found_in_region, ln.found_in_region)
            if ln.asset_id is None and ln.region_code:
                ln.region_name = names.get(ln.region_code, ln.region_code)


def scanned_asset_ids(session: InventorySession) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(InventoryScan.asset_id).where(
                InventoryScan.session_id == session.id, InventoryScan.asset_id.is_not(None)
            )
        )
    )


def scan_label(scan: InventoryScan) -> str:
    """ "1.3.2.10.01.02.001/0001 PC Unit" for a registered find, its description otherwise."""
    if scan.asset_id is None:
        return f'Barang "{scan.description}"'
    asset = asset_queries.get_asset(scan.asset_id)
    return f"{asset.kode_barang}/{asset.register_no} {asset.name}" if asset else "Aset"
