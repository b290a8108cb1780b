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
