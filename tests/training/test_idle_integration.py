"""The asset idle list names the training gap behind an idle asset."""

from datetime import date

from tests.training.factories import certify, make_asset


def test_idle_page_flags_kecamatan_without_trained_operator(client, login, users):
    make_asset("35.11.05", "cetak_kk", status="tidak_digunakan", name="Printer KK Pujer")
    make_asset("35.11.06", "cetak_kk", status="tidak_digunakan", name="Printer KK Grujugan")
    certify("35.11.06", ("cetak_kk",), ends_on=date.today())
    login(users["petugas"])
    html = client.get("/aset/menganggur").get_data(as_text=True)

    def row(name):
        start = html.rindex("<tr", 0, html.index(name))
        return html[start : html.index("</tr>", start)]

    assert "tidak ada operator terlatih" in row("Printer KK Pujer")
    assert "tidak ada operator terlatih" not in row("Printer KK Grujugan")
