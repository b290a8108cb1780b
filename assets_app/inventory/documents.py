"""Snapshots of a session for the pure renderers (reports/inventory_pdf.py, inventory_xlsx.py)."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.auth.models import User
from assets_app.extensions import db
from assets_app.inventory import queries
from assets_app.inventory.models import InventorySession
from assets_app.letters import services as letters
from assets_app.officials import services as officials
from assets_app.regions.models import Region
from reports import inventory_pdf, inventory_xlsx
from reports._format import tanggal
from reports._kop import Signatory
from reports.inventory_doc import InventoryDoc, InventoryLine, Kop, Signer


def _user_name(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user.name if user else None


def letterhead(kab_code: str) -> tuple[Kop, str]:
    """The Dinas letterhead from the letter settings of the kab/kota, and its town."""
    settings = letters.get_settings(kab_code)
    address = " · ".join(p for p in (settings.address, settings.contact_line) if p)
    return Kop(pemerintah=settings.pemerintah, dinas=settings.dinas, alamat=address), settings.city


def signatories(session: InventorySession, place: str) -> tuple[Signer, ...]:
    """Who signs the berita acara: the officer who opened the session and the official set to
    sign berita acara (officials settings, `/admin/pejabat`); without one the block says the
    signing official is not set."""
    when = session.confirmed_at or session.opened_at
    official = officials.signatory(session.region_code, "berita_acara", when.date())
    signer = (
        Signatory(
            name=official["name"],
            position=official["position"],
            nip=official["nip"],
            rank=official["rank"],
            line=official["line"],
        )
        if official
        else None
    )
    return (
        Signer("Petugas inventarisasi", _user_name(session.opened_by_id)),
        Signer(
            official["position"] if official else "Kepala Dinas",
            official["name"] if official else _user_name(session.confirmed_by_id),
            official["nip"] if official else None,
            above=f"{place}, {tanggal(when)}",
            signatory=signer,
            official=True,
        ),
    )


def number_of(session: InventorySession) -> str:
    return f"INV-{session.region_code}-{session.id}"


def snapshot(by, session: InventorySession) -> InventoryDoc:
    groups = queries.groups_of(session, by)  # a camat's copy holds their kecamatan only
    kop, place = letterhead(session.region_code)
    names = {
        r.code: r.display_name
        for r in db.session.scalars(sa.select(Region).where(Region.code.in_(session.region_codes)))
    }
    lines = {
        key: tuple(
            InventoryLine(
                kode_barang=ln.kode_barang,
                register_no=ln.register_no,
                name=ln.name,
                place=ln.region_name,
                unit_price=ln.unit_price,
                condition_before=ln.condition_before or "",
                condition_after=ln.condition_after or "",
                found_in=ln.found_in_name or "",
                note=ln.note or "",
            )
            for ln in group
        )
        for key, group in groups.lines.items()
    }
    return InventoryDoc(
        kop=kop,
        number=number_of(session),
        title=session.title,
        scope=", ".join(names.get(c, c) for c in session.region_codes),
        place=place,
        opened_at=session.opened_at,
        confirmed_at=session.confirmed_at,
        opened_by=_user_name(session.opened_by_id) or "",
        confirmed_by=_user_name(session.confirmed_by_id),
        expected=groups.expected,
        groups=lines,
        signers=signatories(session, place),
        confirm_note=session.confirm_note or "",
    )


def _file(session: InventorySession, ext: str) -> str:
    return f"hasil-inventarisasi-{session.region_code.replace('.', '-')}-{session.id}.{ext}"


def berita_acara(by, session: InventorySession) -> tuple[str, bytes]:
    return _file(session, "pdf"), inventory_pdf.render(snapshot(by, session))


def result_xlsx(by, session: InventorySession) -> tuple[str, bytes]:
    return _file(session, "xlsx"), inventory_xlsx.render(snapshot(by, session))
