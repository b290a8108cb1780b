"""Issue 12's example (Kota Serang, Kec. Cipocok Jaya): three letters from the camat to the
Dinas and one letter from the Dinas to Ditjen Dukcapil that nobody has answered.

Period 1 June – 31 October 2026; the clock is 23 November 2026. The answers: the Dinas sent
1 letter, received 3, and 1 is unanswered at 31 October, waiting 138 days (since 15 June).
"""

from __future__ import annotations

from datetime import date, datetime

from assets_app.common.formatting import WIB
from assets_app.extensions import db

KEC = "36.73.05"  # Cipocok Jaya
START, END = date(2026, 6, 1), date(2026, 10, 31)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=WIB)
DAYS_WAITING = 138  # 15 June → 31 October
DITJEN = "Direktur Jenderal Kependudukan dan Pencatatan Sipil"


def incoming(by, number: str, on: date, *, received_on=None, in_reply_to=None, sender=None):
    """A letter to the Dinas recorded by `by` (from the camat unless `sender` says)."""
    from assets_app.letters import services

    letter = services.compose_letter(
        by=by,
        region_code=KEC,
        direction="masuk",
        sender=sender or "Camat Cipocok Jaya",
        recipient="Kepala Dinas",
        number=number,
        letter_date=on,
        received_on=received_on,
        perihal="Server perekaman mati, mohon perbaikan",
        in_reply_to=in_reply_to,
    )
    db.session.commit()
    return letter


def outgoing(by, kadis, sent_on: date, *, recipient: str = DITJEN):
    """A letter of the Dinas: drafted by `by`, signed by `kadis`, sent on `sent_on`."""
    from assets_app.letters import services

    letter = services.compose_letter(
        by=by,
        region_code=KEC,
        direction="keluar",
        recipient=recipient,
        perihal="Permohonan perbaikan server perekaman Kec. Cipocok Jaya",
        body="Dengan hormat,\n\nMohon bantuan perbaikan.",
        letter_date=sent_on,
    )
    services.sign_letter(letter, kadis)
    services.mark_sent(letter, by, sent_on, "srikandi")
    db.session.commit()
    return letter


def build(users) -> dict:
    """Writes the example; returns the Serang kadis and the letters."""
    from tests.factories import make_user

    petugas = users["petugas_serang"]
    kadis = make_user("kadis", "36.73", username="kadis.serang")
    camat = [
        incoming(petugas, "005/101/Kec.CJ/2026", date(2026, 6, 3), received_on=date(2026, 6, 4)),
        incoming(petugas, "005/117/Kec.CJ/2026", date(2026, 7, 1), received_on=date(2026, 7, 2)),
        incoming(petugas, "005/130/Kec.CJ/2026", date(2026, 8, 3)),
    ]
    camat[2].received_on = None  # an older record without a receiving date: its date counts
    db.session.commit()
    ditjen = outgoing(petugas, kadis, date(2026, 6, 15))
    return {"kadis": kadis, "camat": camat, "ditjen": ditjen}
