"""NIP validation: 18 digits read as birth date, TMT, sex and sequence; one message per fault."""

import pytest

from assets_app.officials.nip import clean_nip, nip_problems


@pytest.mark.parametrize(
    ("nip", "fault"),
    [
        ("197001011990031001", None),
        ("1970 0101 199003 1 001", None),  # the groups as printed on a SK
        ("198703122010012003", None),
        ("", "NIP wajib diisi."),
        ("19700101199003100", "18 angka; yang diisi 17 angka"),
        ("1970010119900310011", "18 angka; yang diisi 19 angka"),
        ("19700101.199003.1.001", "hanya berisi angka"),
        ("197013011990031001", "tanggal lahir"),  # month 13
        ("197002301990031001", "tanggal lahir"),  # 30 February
        ("193001011990031001", "tanggal lahir"),  # born 1930: not an active civil servant
        ("197001011990131001", "TMT CPNS"),  # TMT month 13
        ("197001011980031001", "18 tahun setelah lahir"),  # TMT at 10 years of age
        ("197001011990033001", "jenis kelamin"),  # sex digit 3
        ("197001011990031000", "nomor urut"),  # sequence 000
        ("١٩٧٠٠١٠١١٩٩٠٠٣١٠٠١", "hanya berisi angka"),  # Arabic-Indic digits
    ],
)
def test_nip_table(nip, fault):
    problems = nip_problems(nip)
    if fault is None:
        assert problems == []
        assert len(clean_nip(nip)) == 18
    else:
        assert len(problems) == 1 and fault in problems[0], problems


def test_several_faults_are_all_named():
    problems = nip_problems("197013011990133000")
    assert len(problems) == 4
    assert any("tanggal lahir" in p for p in problems)
    assert any("TMT" in p for p in problems)
    assert any("jenis kelamin" in p for p in problems)
    assert any("nomor urut" in p for p in problems)
