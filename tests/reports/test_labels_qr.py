"""QR codes of the label sheet drawn as vector rectangles from segno's matrix: the rectangles
cover exactly the dark modules, a full sheet decodes label by label, and a sheet of 161 is
one fill per QR (no drawing objects)."""

from __future__ import annotations

import io
import subprocess

import segno
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from reports.labels_pdf import Label, qr_matrix, qr_rects, render_labels_pdf


def _labels(n: int) -> list[Label]:
    return [
        Label("1.3.2.10.01.02.001", f"{i:04d}", f"PC Unit {i}", "Kec. Pujer",
              f"https://aset.example.go.id/l/{i:04d}tokenlabel{i * 7919:08d}")
        for i in range(1, n + 1)
    ]  # fmt: skip


def test_rectangles_cover_exactly_the_dark_modules_once():
    for url in ("https://a.test/l/x", "https://aset.example.go.id/l/" + "ab12" * 10):
        matrix = qr_matrix(url)
        covered: list[tuple[int, int]] = []
        for c, r, w, h in qr_rects(matrix):
            covered += [(r + dr, c + dc) for dr in range(h) for dc in range(w)]
        dark = [(r, c) for r, row in enumerate(matrix) for c, v in enumerate(row) if v]
        assert sorted(covered) == sorted(dark)  # no gap, no overlap
        assert len(qr_rects(matrix)) < len(dark) / 2  # runs merged, not a square per module


def test_matrix_is_segnos_symbol_of_the_url():
    url = "https://aset.example.go.id/l/tok1"
    qr = segno.make(url, error="m", micro=False, boost_error=False, mask=2)
    assert [bytes(r) for r in qr_matrix(url)] == [bytes(r) for r in qr.matrix]
    assert qr.error == "M"


def test_every_label_of_a_full_sheet_decodes(tmp_path):
    labels = _labels(21)
    pdf = tmp_path / "label.pdf"
    pdf.write_bytes(render_labels_pdf(labels))
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "p")], check=True)
    with Image.open(tmp_path / "p-1.png") as image:
        found = sorted(r.text for r in zxingcpp.read_barcodes(image))
    assert found == sorted(lab.url for lab in labels)


def test_qr_is_one_filled_path_per_label_in_module_units():
    import re

    labels = _labels(21)
    page = PdfReader(io.BytesIO(render_labels_pdf(labels))).pages[0]
    content = page.get_contents().get_data().decode("latin-1")
    # each QR: q, its own transform (module units, rows downwards), black, one path, fill, Q
    blocks = re.findall(
        r"q\n\S+ 0 0 -\S+ \S+ \S+ cm\n0 g\n((?:\d+ \d+ \d+ \d+ re ?)+)\nf\nQ", content
    )
    assert len(blocks) == len(labels)
    first = [tuple(map(int, m)) for m in re.findall(r"(\d+) (\d+) (\d+) (\d+) re", blocks[0])]
    assert first == qr_rects(qr_matrix(labels[0].url))
    assert "/XObject" not in page["/Resources"]  # no form or image per QR
