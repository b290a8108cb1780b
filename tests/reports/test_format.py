from reports._format import rupiah, rupiah_resmi, terbilang


def test_terbilang():
    assert terbilang(0) == "nol"
    assert terbilang(11) == "sebelas"
    assert terbilang(115) == "seratus lima belas"
    assert terbilang(1250000) == "satu juta dua ratus lima puluh ribu"
    assert terbilang(1000) == "seribu"
    assert terbilang(2_000_000_000) == "dua miliar"


def test_rupiah_forms():
    assert rupiah(1250000) == "Rp 1.250.000"
    assert rupiah_resmi(1250000) == "Rp1.250.000,00"


def test_terbilang_round_and_big_numbers():
    assert terbilang(100) == "seratus"
    assert terbilang(1_000) == "seribu"
    assert terbilang(1_000_000) == "satu juta"
    assert terbilang(1_000_000_000) == "satu miliar"
    assert terbilang(1_000_000_000_000) == "satu triliun"
    assert terbilang(1_001_100) == "satu juta seribu seratus"
    assert terbilang(111_111) == "seratus sebelas ribu seratus sebelas"
    assert terbilang(987_654_321_012) == (
        "sembilan ratus delapan puluh tujuh miliar enam ratus lima puluh empat juta "
        "tiga ratus dua puluh satu ribu dua belas"
    )
    assert terbilang(2_500_000_000_000_000) == "dua ribu lima ratus triliun"
    assert terbilang(-5) == "minus lima"


def test_rupiah_terbilang_and_amounts_in_words():
    from reports._format import amounts_in_words, rupiah_terbilang

    assert rupiah_terbilang(1_250_000) == (
        "Rp 1.250.000 (satu juta dua ratus lima puluh ribu rupiah)"
    )
    assert rupiah_terbilang(0) == "Rp 0 (nol rupiah)"
    assert amounts_in_words("biaya Rp1.250.000,00.") == (
        "biaya Rp1.250.000,00 (satu juta dua ratus lima puluh ribu rupiah)."
    )
    already = "Rp 2.000.000 (dua juta rupiah)"
    assert amounts_in_words(already) == already
    assert amounts_in_words("tanpa angka rupiah") == "tanpa angka rupiah"


def test_integers_are_grouped_as_babel_writes_them():
    """`angka`/`rupiah` write integers without Babel's per-call parsing; the text is Babel's."""
    from babel.numbers import format_decimal

    from reports._format import LOCALE, angka, rupiah

    values = [0, 1, -1, 7, 999, 1000, -1000, 12_345, 999_999, 1_000_000, -987_654_321, 10**12]
    values += [(-1) ** i * 7**i for i in range(15)]
    for v in values:
        assert angka(v) == format_decimal(v, locale=LOCALE), v
        assert rupiah(abs(v)) == f"Rp {format_decimal(abs(v), locale=LOCALE)}", v
    assert angka(1234.5) == "1.234,5"  # not an integer: Babel itself


def test_date_times_are_written_as_babel_writes_them():
    """`waktu` writes its usual pattern without Babel's pattern machinery; the text is
    Babel's, for aware values in any zone, naive values (UTC), every month and both ends of
    the day in WIB."""
    from datetime import UTC, datetime, timedelta, timezone

    from babel.dates import format_datetime

    from reports._format import LOCALE, WIB, waktu

    start = datetime(2026, 1, 1, 16, 59, tzinfo=UTC)  # 23.59 WIB
    values = [start + timedelta(days=31 * i, minutes=7 * i) for i in range(13)]
    values += [datetime(2026, 11, 30, 17, 0, tzinfo=UTC), datetime(999, 3, 4, 5, 6)]
    values += [datetime(2026, 6, 1, 0, 0, tzinfo=timezone(timedelta(hours=-5)))]
    for v in values:
        expected = format_datetime(v, "d MMMM yyyy HH.mm", tzinfo=WIB, locale=LOCALE) + " WIB"
        assert waktu(v) == expected, v
    assert waktu(datetime(2026, 11, 30, 17, 0, tzinfo=UTC)) == "1 Desember 2026 00.00 WIB"
    assert waktu(start, "HH.mm") == "23.59 WIB" and waktu(None) == "–"
