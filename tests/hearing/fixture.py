"""A Bondowoso dataset with known answers, written through every domain's services (as a user
would), at a frozen clock: 30 June 2026 15.00 WIB; the period is June 2026.

Pujer (35.11.05): a PC (operational) and a card printer idle since 10 June 08.00 for want of
a trained operator; Tamanan (35.11.02): a fingerprint scanner down 48 h (network,
Diskominfo) and an operator certified for recording; Maesan (35.11.01): a router down 24 h in
June (vendor) and 24 h in May (outside the period), and an overdue ticket with two letters;
the Dinas (35.11): a server, and the blanko store.
"""

from __future__ import annotations

from datetime import date, datetime

import time_machine

from assets_app.common.formatting import WIB
from assets_app.extensions import db

NOW = datetime(2026, 6, 30, 15, 0, tzinfo=WIB)
START, END, TODAY = date(2026, 6, 1), date(2026, 6, 30), date(2026, 6, 30)
TAMANAN_KEL = ("35.11.02.2001", "35.11.02.2002")

# The answers, worked out by hand from the story above.
EXPECTED = {
    "assets_count": 5,
    "assets_value": 14_750_000 + 49_990_000 + 8_750_000 + 6_200_000 + 45_000_000,
    "operational_pct": 80.0,  # 4 of 5 (the printer is not in use)
    "can_record_today": 2,  # Pujer and Tamanan; Maesan has no recording set
    "downtime_hours": 559.0,  # 487 (10 Jun 08.00 → 30 Jun 15.00) + 48 + 24
    "downtime_by_party": {"disdukcapil": 487.0, "diskominfo": 48.0, "vendor": 24.0},
    "downtime_by_cause": {"operator": 487.0, "jaringan": 48.0, "perangkat_keras": 24.0},
    "idle_count": 1,
    "idle_value": 49_990_000,
    "recorded": 130,  # 50 + 40 (Pujer) + 30 (Tamanan) + 10 (Dinas); 31 May is outside
    "turned_away": 17,
    "open_tickets": 2,
    "overdue_tickets": 1,
    "oldest_ticket_days": 59,  # 2 May 09.00 → end of 30 June
    "letters_sent": 1,  # the May letter is outside the period
    "letters_received": 0,  # no letter came in
    "letters_unanswered": 2,  # both letters to Diskominfo, at 30 June
    "awaiting_reply_days": 51,  # sent 10 May, no reply by 30 June
    "trained_operators": 1,
    "training_gaps": 4,  # Pujer ×2, Maesan (network), Dinas (server)
    # the reconciliation summed over the locations: 0 + 6,000 − 1,000 + 0 − 300 − 10 = 4,690
    "blanko_opening": 0,
    "blanko_received": 6_000,  # 5,000 from Ditjen at the Dinas + 1,000 confirmed at Pujer
    "blanko_distributed": 1_000,  # shipped by the Dinas
    "blanko_returned": 0,
    "blanko_adjusted": 0,
    "blanko_closing": 4_690,
    "blanko_in_transit": 0,
    "blanko_used": 300,
    "blanko_damaged": 10,
    "blanko_balance": 4_690,
    "days_of_cover": 469.0,  # 4,690 at 300 a month (10 a day)
    "spoilage_pct": 3.23,  # 10 of 310
    "wajib_ktp": 46_470,
    "sudah_rekam": 43_907,
    "coverage_pct": 94.48,
}


def build(users) -> dict:
    """Writes the dataset; returns the objects tests look at."""
    from assets_app.assets import services as assets
    from assets_app.blanko import services as blanko
    from assets_app.letters import services as letters
    from assets_app.tickets import services as tickets
    from tests.training.factories import attend, make_operator, make_training

    petugas, kadis, camat = users["petugas"], users["kadis"], users["camat"]

    def at(month, day, hour=8):
        return datetime(2026, month, day, hour, 0, tzinfo=WIB)

    made: list = []

    def asset(region, name, category, kode, price, acquired, funding):
        made.append(region)
        return assets.create_asset(
            petugas,
            {
                "region_code": region,
                "kode_barang": kode,
                "register_no": f"{len(made) + 1:04d}",
                "name": name,
                "category": category,
                "brand_model": {"perekaman": "Lenovo M720", "cetak_ktp": "Fargo HDP5000"}.get(
                    category
                ),
                "acquired_on": acquired,
                "funding_source": funding,
                "acquisition_method": "pembelian",
                "unit_price": price,
                "condition": "B",
            },
        )

    with time_machine.travel(NOW, tick=False):
        asset(
            "35.11.05",
            "PC Unit",
            "perekaman",
            "1.3.2.10.01.02.001",
            14_750_000,
            date(2019, 8, 15),
            "APBD",
        )
        printer = asset(
            "35.11.05",
            "Printer kartu",
            "cetak_ktp",
            "1.3.2.10.02.03.003",
            49_990_000,
            date(2019, 8, 15),
            "APBD",
        )
        scanner = asset(
            "35.11.02",
            "Alat Sidik Jari",
            "perekaman",
            "1.3.2.05.01.05.068",
            8_750_000,
            date(2021, 3, 1),
            "DAK",
        )
        router = asset(
            "35.11.01",
            "Router VPN",
            "jaringan",
            "1.3.2.10.02.04.002",
            6_200_000,
            date(2018, 5, 1),
            "APBD",
        )
        asset(
            "35.11", "Server", "server", "1.3.2.10.02.04.001", 45_000_000, date(2022, 3, 1), "APBD"
        )
        status = assets.set_status
        status(
            petugas,
            printer,
            status="tidak_digunakan",
            cause="operator",
            responsible_party="disdukcapil",
            started_at=at(6, 10),
            note="Operator dimutasi, belum ada pengganti",
        )
        status(
            petugas,
            scanner,
            status="gangguan",
            cause="jaringan",
            responsible_party="diskominfo",
            started_at=at(6, 20),
        )
        status(petugas, scanner, status="operasional", started_at=at(6, 22))
        status(
            petugas,
            router,
            status="gangguan",
            cause="listrik",
            responsible_party="pln",
            started_at=at(5, 20),
        )
        status(petugas, router, status="operasional", started_at=at(5, 21))
        status(
            petugas,
            router,
            status="dalam_perbaikan",
            cause="perangkat_keras",
            responsible_party="vendor",
            started_at=at(6, 25),
        )
        status(petugas, router, status="operasional", started_at=at(6, 26))
        for region, day, rekam, ditolak, cetak in (
            ("35.11.05", date(2026, 6, 28), 50, 5, 0),
            ("35.11.05", date(2026, 6, 29), 40, 0, 0),
            ("35.11.05", date(2026, 5, 31), 99, 9, 0),
            ("35.11.02", date(2026, 6, 29), 30, 12, 0),
            ("35.11", date(2026, 6, 29), 10, 0, 20),
        ):
            assets.record_usage(
                petugas,
                {
                    "region_code": region,
                    "day": day,
                    "rekam": rekam,
                    "ditolak": ditolak,
                    "cetak_ktp": cetak,
                    "cetak_kk": 0,
                    "kuota": 60,
                },
            )
        for region, as_of, wajib, sudah in (
            ("35.11.05", date(2026, 1, 1), 29_000, 20_000),
            ("35.11.05", date(2026, 6, 15), 30_000, 28_500),
            (TAMANAN_KEL[0], date(2026, 6, 15), 10_000, 9_000),
            (TAMANAN_KEL[1], date(2026, 6, 15), 6_470, 6_407),
        ):
            assets.record_coverage(
                petugas,
                {"region_code": region, "as_of": as_of, "wajib_ktp": wajib, "sudah_rekam": sudah},
            )
        db.session.commit()

    # training: one operator in Tamanan certified for recording
    with time_machine.travel(at(6, 6, 9), tick=False):
        operator = make_operator("35.11.02", "Siti Operator")
        training = make_training(("perekaman",), ends_on=date(2026, 6, 5), region_code="35.11")
        attend(training, operator, today=date(2026, 6, 6))

    # tickets and letters
    with time_machine.travel(at(5, 2, 9), tick=False):
        overdue, _ = tickets.file_ticket(
            by=petugas,
            region_code="35.11.01",
            category="jaringan",
            urgency="tinggi",
            impact="tinggi",
            title="Jaringan VPN Kecamatan Maesan putus",
            description="Tidak dapat mengirim data perekaman.",
        )
        tickets.assign(overdue, by=petugas, responsible_party="diskominfo")
        db.session.commit()
    sent = []
    for month, day in ((5, 10), (6, 5)):
        with time_machine.travel(at(month, day, 9), tick=False):
            letter = tickets.compose_ticket_letter(
                overdue, by=petugas, **tickets.letter_draft_defaults(overdue, "diskominfo")
            )
            letters.sign_letter(letter, kadis)
            letters.mark_sent(letter, petugas, date(2026, month, day).isoformat(), "pos")
            db.session.commit()
            sent.append(letter)
    with time_machine.travel(at(6, 28, 9), tick=False):
        tickets.file_ticket(
            by=camat,
            region_code="35.11.05",
            category="lainnya",
            urgency="rendah",
            impact="rendah",
            title="Kursi antrean rusak",
            description="Dua kursi patah.",
        )
        db.session.commit()

    # blanko: 5,000 from Ditjen, 1,000 to Pujer, 300 used and 10 written off there
    with time_machine.travel(NOW, tick=False):
        blanko.record_movement(
            petugas,
            kind="penerimaan",
            to_region="35.11",
            quantity=5_000,
            occurred_at=at(6, 2),
            reference="BAST/DITJEN/2026/06",
            bast_date=date(2026, 6, 2),
        )
        out = blanko.record_movement(
            petugas,
            kind="distribusi",
            from_region="35.11",
            to_region="35.11.05",
            quantity=1_000,
            occurred_at=at(6, 3),
        )
        blanko.receive_movement(camat, out.id, quantity_received=1_000, received_at=at(6, 4))
        blanko.record_movement(
            camat, kind="pemakaian", from_region="35.11.05", quantity=300, occurred_at=at(6, 20)
        )
        spoiled = blanko.record_movement(
            camat,
            kind="rusak",
            from_region="35.11.05",
            quantity=10,
            occurred_at=at(6, 21),
            note="Kartu gagal cetak",
        )
        blanko.decide_movement(
            kadis, spoiled.id, approved=True, berita_acara_no="BA/01/VI/2026", decided_at=at(6, 22)
        )
        db.session.commit()
    return {"printer": printer, "ticket": overdue, "letters": sent}
