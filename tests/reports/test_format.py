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
