"""Asset label sheets: seconds to render 161 and 1,000 labels (`reports.labels_pdf`), beside a
bare reportlab floor — the same A4 3 × 7 layout and text with no QR code — so the cost of the
QR drawing itself is visible.

    .venv/bin/python bench/labels.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reports import labels_pdf  # noqa: E402
from reports.labels_pdf import Label, render_labels_pdf  # noqa: E402

COUNTS = (161, 1000)


def _labels(n: int) -> list[Label]:
    return [
        Label(
            kode_barang="1.3.2.10.02.03.001",
            register_no=f"{i + 1:04d}",
            name=f"Alat Perekaman KTP-el Set {i + 1} (Sidik Jari, Iris, Kamera)",
            region_name="Kec. Pujer",
            url=f"https://aset.bondowosokab.go.id/l/{i:08d}tokenpubliklabelaset{i:06d}",
        )
        for i in range(n)
    ]


def _best(fn, labels, repeat: int) -> tuple[float, float]:
    """Best and median seconds of `fn(labels)` over `repeat` runs."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(labels)
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def _floor(labels: list[Label]) -> bytes:
    """The same sheet with the QR drawing replaced by nothing (the layout and text only)."""
    original = labels_pdf._qr
    labels_pdf._qr = lambda canvas, url, x, y, size: None
    try:
        return render_labels_pdf(labels)
    finally:
        labels_pdf._qr = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'label':>6}  {'dengan QR (s)':>14}  {'tanpa QR (s)':>13}  {'ukuran PDF':>11}")
    for n in COUNTS:
        labels = _labels(n)
        best, _ = _best(render_labels_pdf, labels, args.repeat)
        floor, _ = _best(_floor, labels, args.repeat)
        size = len(render_labels_pdf(labels))
        print(f"{n:>6}  {best:>14.3f}  {floor:>13.3f}  {size / 1024:>8.0f} KiB")


if __name__ == "__main__":
    main()
