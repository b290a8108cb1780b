"""Helpers for the blanko tests: a small ledger API that commits like a request would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assets_app.blanko import queries, services
from assets_app.extensions import db

DINAS = "35.11"
PUJER = "35.11.05"
KEC2 = "35.11.06"


def ago(days: float = 0, hours: float = 0) -> datetime:
    return datetime.now(UTC) - timedelta(days=days, hours=hours)


class Ledger:
    def __init__(self, users):
        self.users = users

    def _u(self, by):
        return self.users[by] if isinstance(by, str) else by

    def receive(self, qty=1000, *, by="petugas", to=DINAS, ranges=None, ref="BAST/001", **kw):
        kw.setdefault("bast_date", ago(2).date())
        kw.setdefault("occurred_at", ago(2))
        m = services.record_movement(
            self._u(by),
            kind="penerimaan",
            to_region=to,
            quantity=qty,
            reference=ref,
            serial_ranges=ranges,
            **kw,
        )
        db.session.commit()
        return m

    def distribute(self, qty, to=PUJER, *, by="petugas", frm=DINAS, ranges=None, **kw):
        kw.setdefault("occurred_at", ago(1))
        m = services.record_movement(
            self._u(by),
            kind="distribusi",
            from_region=frm,
            to_region=to,
            quantity=qty,
            serial_ranges=ranges,
            **kw,
        )
        db.session.commit()
        return m

    def confirm(self, m, qty=None, *, by="camat", note=None, **kw):
        r = services.receive_movement(
            self._u(by),
            m.id,
            quantity_received=m.quantity if qty is None else qty,
            note=note,
            **kw,
        )
        db.session.commit()
        return r

    def stock(self, code=PUJER, qty=100):
        """Puts `qty` cards on hand at a kecamatan (received at the Dinas, sent, confirmed)."""
        self.receive(qty, ref=f"BAST/{code}/{qty}")
        if code == PUJER:
            return self.confirm(self.distribute(qty, code), by="camat")
        m = self.distribute(qty, code)
        return self.confirm(m, by="petugas", on_behalf_reason="Kecamatan belum punya akun")

    def use(self, qty, at=PUJER, *, by="camat", **kw):
        kw.setdefault("occurred_at", ago(0, 1))
        m = services.record_movement(
            self._u(by), kind="pemakaian", from_region=at, quantity=qty, **kw
        )
        db.session.commit()
        return m

    def damage(self, qty, at=PUJER, *, by="camat", **kw):
        kw.setdefault("occurred_at", ago(0, 1))
        kw.setdefault("note", "Gagal cetak")
        m = services.record_movement(self._u(by), kind="rusak", from_region=at, quantity=qty, **kw)
        db.session.commit()
        return m

    def decide(self, m, approved=True, *, ba="BA/001/2026", by="kadis", note=None, **kw):
        d = services.decide_movement(
            self._u(by), m.id, approved=approved, berita_acara_no=ba, note=note, **kw
        )
        db.session.commit()
        return d

    @staticmethod
    def bal(code):
        b = queries.balance_of(code)
        return (b.on_hand, b.in_transit_in, b.reserved)


@pytest.fixture
def ledger(users):
    return Ledger(users)
