"""Hand-built hearing packets for the renderer tests (no app, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from assets_app.hearing.figures import packet_definitions
from reports.hearing_data import (
    Figures,
    HearingPacket,
    IdleAsset,
    KecamatanRow,
    LetterRef,
    OverdueTicket,
    PurchaseLine,
    TrainingGap,
)
from reports.hearing_text import TITLE

PARTIES = (
    ("disdukcapil", "Disdukcapil"),
    ("kecamatan", "Kecamatan"),
    ("diskominfo", "Diskominfo"),
    ("vendor", "Vendor/penyedia"),
    ("ditjen_dukcapil", "Ditjen Dukcapil"),
    ("pln", "PLN"),
)
CAUSES = (
    ("jaringan", "Jaringan"),
    ("listrik", "Listrik"),
    ("perangkat_keras", "Perangkat keras"),
    ("perangkat_lunak", "Perangkat lunak"),
    ("operator", "Operator"),
    ("blanko", "Blanko"),
    ("lainnya", "Lainnya"),
)
LONG_NAME = "Buay Pematang Ribu Ranau Tengah Kecamatan Dengan Nama Sangat Panjang"
GENERATED = datetime(2026, 7, 1, 2, 30, tzinfo=UTC)


def row_figures(i: int) -> Figures:
    assets = 10 + i % 7
    operational = assets - (i % 3)
    return Figures(
        assets_count=assets,
        assets_value=assets * 47_500_000 + i * 1_000,
        operational_count=operational,
        operational_pct=round(operational * 100 / assets, 2),
        can_record_today=i % 5 != 0,
        downtime_hours=float(12 * (i % 4)),
        downtime_by_party={"diskominfo": float(8 * (i % 4)), "vendor": float(4 * (i % 4))},
        downtime_by_cause={"jaringan": float(8 * (i % 4)), "perangkat_keras": float(4 * (i % 4))},
        idle_count=i % 2,
        idle_value=(i % 2) * 49_990_000,
        recorded=100 + i,
        turned_away=i * 3,
        open_tickets=i % 4,
        overdue_tickets=i % 2,
        oldest_ticket_days=(10 + i) if i % 4 else None,
        letters_sent=i % 3,
        letters_received=i % 4,
        letters_unanswered=i % 2,
        awaiting_reply_days=(20 + i) if i % 2 else None,
        trained_operators=2,
        training_gaps=i % 2,
        blanko_received=0,
        blanko_distributed=500,
        blanko_used=400 + i,
        blanko_damaged=4,
        blanko_balance=100 + i,
        days_of_cover=round((100 + i) / ((400 + i) / 181), 1),
        spoilage_pct=round(4 * 100 / (404 + i), 2),
        wajib_ktp=20_000 + i,
        sudah_rekam=19_000 + i,
        coverage_pct=round((19_000 + i) * 100 / (20_000 + i), 2),
    )


def sum_figures(rows: list[KecamatanRow]) -> Figures:
    figs = [r.figures for r in rows]

    def s(key):
        return sum(getattr(f, key) for f in figs)

    assets, operational = s("assets_count"), s("operational_count")
    used, damaged, balance = s("blanko_used"), s("blanko_damaged"), s("blanko_balance")
    wajib, sudah = s("wajib_ktp"), s("sudah_rekam")
    return Figures(
        assets_count=assets,
        assets_value=s("assets_value"),
        operational_count=operational,
        operational_pct=round(operational * 100 / assets, 2),
        can_record_today=sum(
            1 for r in rows if r.level == "kecamatan" and r.figures.can_record_today
        ),
        downtime_hours=s("downtime_hours"),
        downtime_by_party={
            "diskominfo": sum(f.downtime_by_party.get("diskominfo", 0) for f in figs),
            "vendor": sum(f.downtime_by_party.get("vendor", 0) for f in figs),
        },
        downtime_by_cause={
            "jaringan": sum(f.downtime_by_cause.get("jaringan", 0) for f in figs),
            "perangkat_keras": sum(f.downtime_by_cause.get("perangkat_keras", 0) for f in figs),
        },
        idle_count=s("idle_count"),
        idle_value=s("idle_value"),
        recorded=s("recorded"),
        turned_away=s("turned_away"),
        open_tickets=s("open_tickets"),
        overdue_tickets=s("overdue_tickets"),
        oldest_ticket_days=max((f.oldest_ticket_days or 0) for f in figs) or None,
        letters_sent=s("letters_sent"),
        letters_received=s("letters_received"),
        letters_unanswered=2,
        awaiting_reply_days=41,
        trained_operators=s("trained_operators"),
        training_gaps=s("training_gaps"),
        blanko_received=5_000,
        blanko_distributed=s("blanko_distributed"),
        blanko_used=used,
        blanko_damaged=damaged,
        blanko_balance=balance,
        days_of_cover=round(balance / (used / 181), 1),
        spoilage_pct=round(damaged * 100 / (used + damaged), 2),
        wajib_ktp=wajib,
        sudah_rekam=sudah,
        coverage_pct=round(sudah * 100 / wajib, 2),
    )


def make_packet(n_kecamatan: int = 23, *, generated_at: datetime = GENERATED, **overrides):
    rows = []
    for i in range(1, n_kecamatan + 1):
        name = LONG_NAME if i == 3 else f"Kecamatan Nomor {i}"
        rows.append(KecamatanRow(f"35.11.{i:02d}", f"Kec. {name}", "kecamatan", row_figures(i)))
    rows.append(
        KecamatanRow(
            "35.11",
            "Kantor Dinas Kabupaten Bondowoso",
            "kabkota",
            Figures(
                assets_count=5, assets_value=250_000_000, operational_count=5, operational_pct=100.0
            ),
        )
    )
    purchases = (
        PurchaseLine(
            2019,
            "APBD",
            "Cetak KTP-el",
            "Printer kartu",
            "Fargo HDP5000",
            4,
            49_990_000,
            199_960_000,
        ),
        PurchaseLine(
            2019, "APBD", "Perekaman KTP-el", "PC Unit", "Lenovo M720", 10, 12_500_000, 125_000_000
        ),
        PurchaseLine(
            2021, "DAK", "Perekaman KTP-el", "Alat Sidik Jari", None, 6, 8_750_000, 52_500_000
        ),
    )
    idle = tuple(
        IdleAsset(
            f"35.11.{i:02d}",
            f"Kec. Kecamatan Nomor {i}",
            "Printer kartu",
            "Fargo HDP5000",
            "1.3.2.10.02.03.003",
            f"{i:04d}",
            2019,
            "APBD",
            49_990_000,
            date(2026, 2, 1),
            150,
            "Tidak ada operator terlatih" if i % 3 else "Tanpa pemakaian 30 hari",
        )
        for i in range(1, n_kecamatan + 1, 2)
    )
    tickets = (
        OverdueTicket(
            "TKT-2026-0007",
            "35.11.05",
            "Kec. Pujer",
            "Jaringan VPN putus sejak Februari",
            "Menunggu pihak ketiga",
            "Diskominfo",
            date(2026, 2, 3),
            148,
            (
                LetterRef(
                    "000.2.2/15/Disdukcapil/2026",
                    date(2026, 2, 10),
                    "Kepala Diskominfo Kabupaten Bondowoso",
                ),
                LetterRef(
                    "000.2.2/31/Disdukcapil/2026",
                    date(2026, 3, 10),
                    "Kepala Diskominfo Kabupaten Bondowoso",
                    date(2026, 4, 2),
                ),
            ),
        ),
        OverdueTicket(
            "TKT-2026-0011",
            "35.11.06",
            "Kec. Lain",
            "Printer tidak menarik kartu",
            "Dikerjakan",
            "Vendor/penyedia",
            date(2026, 4, 1),
            91,
        ),
    )
    gaps = (
        TrainingGap("35.11.01", "Kec. Kecamatan Nomor 1", "Cetak KTP-el", 1, 49_990_000),
        TrainingGap("35.11.03", f"Kec. {LONG_NAME}", "Perekaman KTP-el", 3, 37_500_000),
    )
    values = dict(
        title=TITLE,
        kop=("PEMERINTAH KABUPATEN BONDOWOSO", "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"),
        region_code="35.11",
        scope_name="Kabupaten Bondowoso",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        as_of=date(2026, 6, 30),
        generated_at=generated_at,
        author="Petugas Aset",
        token="tok-uji-1234",
        verify_url="https://aset.example.go.id/verifikasi/tok-uji-1234",
        rows=tuple(rows),
        total=sum_figures(rows),
        available=frozenset(
            {"assets", "downtime", "usage", "coverage", "tickets", "letters", "training", "blanko"}
        ),
        purchases=purchases,
        idle_assets=idle,
        overdue_tickets=tickets,
        training_gaps=gaps,
        party_labels=PARTIES,
        definitions=packet_definitions(),
        cause_labels=CAUSES,
    )
    values.update(overrides)
    return HearingPacket(**values)
