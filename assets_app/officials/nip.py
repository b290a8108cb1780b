"""NIP (Nomor Induk Pegawai) of a civil servant: 18 digits, read as
yyyymmdd (birth date) · yyyymm (TMT CPNS) · 1/2 (sex) · nnn (sequence)."""

from __future__ import annotations

from datetime import date


def clean_nip(value: str | None) -> str:
    """The digits as typed, without the spaces people put between the groups."""
    return "".join((value or "").split())


def nip_problems(value: str | None) -> list[str]:
    """Every fault of a NIP, each in Indonesian naming the part; [] when it is valid."""
    nip = clean_nip(value)
    if not nip:
        return ["NIP wajib diisi."]
    if not nip.isdigit() or not nip.isascii():
        return ["NIP hanya berisi angka (18 angka, tanpa titik atau huruf)."]
    if len(nip) != 18:
        return [f"NIP terdiri atas 18 angka; yang diisi {len(nip)} angka."]
    problems = []
    birth = _day(nip[0:4], nip[4:6], nip[6:8])
    if birth is None or not 1940 <= birth.year <= 2010:
        problems.append(
            f"Angka 1–8 NIP adalah tanggal lahir (tahun, bulan, tanggal); {nip[0:8]} "
            "bukan tanggal lahir yang sah."
        )
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not (1960 <= tmt_year <= 2100 and 1 <= tmt_month <= 12):
        problems.append(
            f"Angka 9–14 NIP adalah TMT CPNS (tahun dan bulan); {nip[8:14]} bukan bulan yang sah."
        )
    elif birth is not None and tmt_year - birth.year < 18:
        problems.append("TMT CPNS dalam NIP (angka 9–14) harus sedikitnya 18 tahun setelah lahir.")
    if nip[14] not in "12":
        problems.append(
            f"Angka ke-15 NIP adalah jenis kelamin: 1 (laki-laki) atau 2 (perempuan), bukan {nip[14]}."
        )
    if nip[15:18] == "000":
        problems.append("Angka 16–18 NIP adalah nomor urut: 001 sampai 999, bukan 000.")
    return problems


def _day(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None
