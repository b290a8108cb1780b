"""Loading Kemendagri regions and reading them within a user's scope."""

from __future__ import annotations

import csv
import gzip
import io
from functools import cache
from importlib import resources

import sqlalchemy as sa

from assets_app.common.built import built
from assets_app.common.errors import Forbidden, NotFound, ValidationFailed
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import in_scope, scope_clause, subtree_clause, user_scope


@cache
def bundled_rows() -> tuple[tuple[str, str, str, str | None, str | None], ...]:
    """(code, name, level, parent, kind) of every region in the bundled Kemendagri list."""
    raw = resources.files("assets_app.regions").joinpath("data/wilayah.csv.gz").read_bytes()
    reader = csv.DictReader(io.StringIO(gzip.decompress(raw).decode("utf-8")))
    return tuple(
        (r["kode"], r["nama"], r["tingkat"], r["kode_induk"] or None, r["jenis"] or None)
        for r in reader
    )


def load_regions(codes: list[str] | tuple[str, ...]) -> dict[str, int]:
    """Loads each code's subtree and ancestors. Idempotent: returns counts added/updated."""
    rows = bundled_rows()
    by_code = {r[0]: r for r in rows}
    codes = [c.strip() for c in codes if c.strip()]
    unknown = [c for c in codes if c not in by_code]
    if unknown:
        raise ValidationFailed(
            errors={
                "code": [f"Kode wilayah {c} tidak dikenal dalam data Kemendagri." for c in unknown]
            }
        )
    wanted: dict[str, tuple] = {}
    for code in codes:
        parts = code.split(".")
        for i in range(1, len(parts)):
            anc = ".".join(parts[:i])
            wanted[anc] = by_code[anc]
        prefix = code + "."
        for r in rows:
            if r[0] == code or r[0].startswith(prefix):
                wanted[r[0]] = r
    existing: dict[str, str] = {}
    keys = list(wanted)
    for i in range(0, len(keys), 5000):
        chunk = keys[i : i + 5000]
        stmt = sa.select(Region.code, Region.name).where(Region.code.in_(chunk))
        existing.update((code, name) for code, name in db.session.execute(stmt).all())
    # Parents before children so the self-referencing foreign key is always satisfied.
    ordered = sorted(wanted.values(), key=lambda r: (r[0].count("."), r[0]))
    new = [
        {"code": c, "name": n, "level": lv, "parent_code": p, "kind": k}
        for c, n, lv, p, k in ordered
        if c not in existing
    ]
    changed = [{"code": c, "name": n} for c, n, *_ in ordered if c in existing and existing[c] != n]
    for i in range(0, len(new), 2000):
        db.session.execute(sa.insert(Region), new[i : i + 2000])
    for row in changed:
        db.session.execute(
            sa.update(Region).where(Region.code == row["code"]).values(name=row["name"])
        )
    db.session.flush()
    return {"added": len(new), "updated": len(changed), "total": len(wanted)}


def get_region(code: str, user) -> Region:
    """A region inside the user's scope, else NotFound."""
    region = db.session.get(Region, code)
    if region is None or not in_scope(user, region.code):
        raise NotFound()
    return region


def children(code: str) -> list[Region]:
    return list(
        db.session.scalars(
            sa.select(Region).where(Region.parent_code == code).order_by(Region.code)
        )
    )


def children_counts(codes: list[str]) -> dict[str, int]:
    if not codes:
        return {}
    stmt = (
        sa.select(Region.parent_code, sa.func.count())
        .where(Region.parent_code.in_(codes))
        .group_by(Region.parent_code)
    )
    return dict(db.session.execute(stmt).all())


def scope_roots(user) -> list[Region]:
    """The top regions a user may browse: their own region, or every loaded province."""
    if user.region_code:
        region = db.session.get(Region, user.region_code)
        return [region] if region else []
    return list(
        db.session.scalars(
            sa.select(Region).where(Region.parent_code.is_(None)).order_by(Region.code)
        )
    )


def breadcrumbs(region: Region, user) -> list[Region]:
    """Ancestors the user may open (out-of-scope ones are not links they could follow)."""
    codes = [c for c in region.ancestor_codes if in_scope(user, c)]
    if not codes:
        return []
    found = {r.code: r for r in db.session.scalars(sa.select(Region).where(Region.code.in_(codes)))}
    return [found[c] for c in codes if c in found]


def regions_in_scope(user, *, level: str | None = None, within: str | None = None) -> list[Region]:
    stmt = sa.select(Region).where(scope_clause(Region.code, user)).order_by(Region.code)
    if level:
        stmt = stmt.where(Region.level == level)
    if within:
        stmt = stmt.where(subtree_clause(Region.code, within))
    return list(db.session.scalars(stmt))


# Above one kab/kota a picker lists a region's children only along the chosen path: the
# provinces (or the province's kab/kota), then the kab/kota and kecamatan under the chosen one.
# A whole installation would otherwise render 7,799 <option>s into every list page (issue 19).
_CHOICE_PREFIX = {"provinsi": "Prov.", "kabkota": "", "kecamatan": "Kec.", "kelurahan": "Kel./Desa"}


def _selected_arg() -> str | None:
    from flask import has_request_context, request

    if not has_request_context():
        return None
    # a list's `?region=` filter, or the region a form posts
    for key in ("region", "region_code"):
        value = request.values.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


# Up to this many regions a picker lists them all (an installation for a few kab/kota).
MAX_OPTIONS = 300


def _count(user, levels) -> int:
    stmt = sa.select(sa.func.count()).where(
        scope_clause(Region.code, user), Region.level.in_(levels)
    )
    return db.session.scalar(stmt) or 0


def bounded_regions(user, levels, selected: str | None = None) -> list[tuple[str, str, str]]:
    """(code, name, level) of the regions a picker offers, ordered by code.

    A scope of one kab/kota or less, or one holding at most MAX_OPTIONS such regions: every
    region of `levels` inside it. A wider scope (no region, or a province) gets a bounded
    list: the children of the scope's root, and below them only the children of `selected` (default: the request's `?region=`) and of its
    ancestors, so choosing a kab/kota and showing the page again offers its kecamatan. The
    levels above `levels` are offered on that path too, so a national user narrows down step
    by step (each page then holds a few hundred options at most, not 7,799).
    """
    from assets_app.regions.models import LEVELS

    root = user_scope(user)
    if root is not None and root.count(".") > 0:  # a kab/kota or less: every such region
        stmt = built(
            ("bounded_regions", root, tuple(sorted(set(levels)))),
            lambda: (
                sa.select(Region.code, Region.name, Region.level)
                .where(scope_clause(Region.code, user), Region.level.in_(sorted(set(levels))))
                .order_by(Region.code)
            ),
        )
        return [tuple(row) for row in db.session.execute(stmt).all()]
    stmt = sa.select(Region.code, Region.name, Region.level).where(scope_clause(Region.code, user))
    shown = set(levels)
    if (root is None or root.count(".") == 0) and _count(user, levels) > MAX_OPTIONS:
        shown = set(LEVELS[: max(LEVELS.index(lv) for lv in levels) + 1])
        selected = selected if selected is not None else _selected_arg()
        path = [c for c in region_chain_safe(selected) if in_scope(user, c)]
        stmt = stmt.where(
            sa.or_(
                # a whole installation starts at the provinces (every kab/kota would be 514)
                Region.parent_code.is_(None) if root is None else Region.parent_code == root,
                Region.parent_code.in_(path) if path else sa.false(),
                Region.code == root if root else sa.false(),
            )
        )
    stmt = stmt.where(Region.level.in_(shown)).order_by(Region.code)
    return [tuple(row) for row in db.session.execute(stmt).all()]


def region_choices(
    user, levels=("kabkota", "kecamatan"), selected: str | None = None
) -> list[tuple[str, str]]:
    """(code, label) pairs for select boxes: regions of the given levels inside the scope,
    bounded above one kab/kota (see `bounded_regions`); a region of a level above `levels`,
    offered only to narrow down, is marked "▸"."""
    return [
        (code, choice_label(code, name, lv, lv in levels))
        for code, name, lv in bounded_regions(user, levels, selected)
    ]


def choice_label(code: str, name: str, level: str, pickable: bool = True) -> str:
    label = f"{code} — {(_CHOICE_PREFIX[level] + ' ' + name).strip()}"
    return label if pickable else label + " ▸"


def region_chain_safe(code: str | None) -> list[str]:
    """Every code from the top down to `code` ([] for nothing or junk typed in a URL)."""
    from assets_app.regions.models import region_chain

    if not code or len(code) > 13 or not all(p.isdigit() for p in code.split(".")):
        return []
    return region_chain(code)


def require_region_in_scope(
    code: str | None, user, field: str = "region_code", *, levels: tuple[str, ...] | None = None
) -> Region:
    """Validates a region code typed by a user: exists, inside their scope, right level."""
    if not code:
        raise ValidationFailed(errors={field: ["Kode wilayah wajib diisi."]})
    region = db.session.get(Region, code.strip())
    if region is None:
        raise ValidationFailed(errors={field: [f"Kode wilayah {code} tidak dikenal."]})
    if not in_scope(user, region.code):
        raise ValidationFailed(errors={field: [f"Wilayah {code} di luar cakupan wilayah Anda."]})
    if levels and region.level not in levels:
        from assets_app.regions.models import LEVEL_LABELS

        names = ", ".join(LEVEL_LABELS[lv] for lv in levels)
        raise ValidationFailed(errors={field: [f"Wilayah {code} harus setingkat {names}."]})
    return region


# --- the scope of a setting ----------------------------------------------------------------
# A per-kab/kota setting is stored with the kab/kota's code (NULL: the installation default
# every kab/kota without its own value uses). Only an admin without a region changes a
# default; anyone else changes the settings of the kab/kota in their scope.

INSTALLATION = "seluruh instalasi"


def setting_scope_label(code: str | None) -> str:
    """ "Kabupaten Bondowoso" for a kab/kota's own setting, "seluruh instalasi" for a default."""
    if not code:
        return INSTALLATION
    region = db.session.get(Region, code)
    return region.name if region else code


def setting_scopes(user) -> list[tuple[str, str]]:
    """(code, label) of the scopes whose settings `user` may change: "" (the installation
    default) for an admin without a region, then every kab/kota in their scope."""
    out = [("", "Seluruh instalasi (bawaan)")] if user_scope(user) is None else []
    return out + [(r.code, r.name) for r in regions_in_scope(user, level="kabkota")]


def chosen_setting_scope(user, wanted: str | None) -> str | None:
    """The scope a settings page shows: `wanted` when the user may change it, else their first
    one (None: the installation default)."""
    codes = [c for c, _ in setting_scopes(user)]
    wanted = (wanted or "").strip()
    if wanted in codes:
        return wanted or None
    return (codes[0] or None) if codes else None


def require_setting_scope(user, code: str | None, field: str = "region_code") -> str | None:
    """The kab/kota whose setting `user` changes (None: the installation default), or raises:
    a default only for an admin without a region, a kab/kota only inside the user's scope."""
    if not code:
        if user_scope(user) is not None:
            raise Forbidden(
                "Pengaturan seluruh instalasi hanya dapat diubah admin tanpa wilayah; "
                "Anda hanya dapat mengubah pengaturan kabupaten/kota Anda."
            )
        return None
    region = require_region_in_scope(code, user, field, levels=("kabkota",))
    return region.code
