"""Asset label sheets: seconds to render 161 and 1,000 labels (`reports.labels_pdf`), beside a
bare reportlab floor — the same A4 3 × 7 layout and text with no QR code — so the cost of the
QR drawing itself is visible. Then the whole request `/aset/label` (query, labels, PDF) for
161 assets of one kecamatan on a fresh SQLite database built by the migrations.

    .venv/bin/python bench/labels.py [--repeat 3] [--no-app]
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


def _request_seconds(n: int, repeat: int) -> float:
    """Best seconds of GET /aset/label?region=35.11.05 with `n` assets there (SQLite)."""
    import os
    import tempfile
    from datetime import date

    import sqlalchemy as sa

    sys.path.insert(0, str(ROOT / "bench"))
    from _common import build_schema, make_app

    tmp = tempfile.TemporaryDirectory()
    os.environ["INSTANCE_PATH"] = tmp.name
    app = make_app(f"sqlite:///{tmp.name}/labels.sqlite")
    build_schema(app)
    with app.app_context():
        from assets_app.assets.models import Asset
        from assets_app.auth.services import create_user
        from assets_app.extensions import db
        from assets_app.regions.services import load_regions

        load_regions(list(app.config["DEMO_REGIONS"]))
        user = create_user("bench", role="admin", password="bench-password-1", name="Bench",
                           region_code=None)  # fmt: skip
        rows = [
            {"region_code": "35.11.05", "kode_barang": "1.3.2.10.01.02.001",
             "register_no": f"{i:04d}", "name": f"PC Unit perekaman KTP-el {i}",
             "category": "perekaman", "acquired_on": date(2022, 3, 1),
             "funding_source": "APBD", "acquisition_method": "pembelian",
             "unit_price": 14_750_000, "condition": "B", "status": "operasional",
             "label_token": f"bench{i:010d}"}
            for i in range(1, n + 1)
        ]  # fmt: skip
        db.session.execute(sa.insert(Asset), rows)  # bulk: a benchmark, not the audit path
        db.session.commit()
        user_id = user.id
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = str(user_id)
        sess["_fresh"] = True

    def fetch(_):
        resp = client.get("/aset/label?region=35.11.05")
        assert resp.status_code == 200 and resp.data[:5] == b"%PDF-", resp.status_code

    best, _ = _best(fetch, None, repeat)
    tmp.cleanup()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-app", action="store_true", help="tanpa pengukuran /aset/label")
    args = parser.parse_args()
    print(f"{'label':>6}  {'dengan QR (s)':>14}  {'tanpa QR (s)':>13}  {'ukuran PDF':>11}")
    for n in COUNTS:
        labels = _labels(n)
        best, _ = _best(render_labels_pdf, labels, args.repeat)
        floor, _ = _best(_floor, labels, args.repeat)
        size = len(render_labels_pdf(labels))
        print(f"{n:>6}  {best:>14.3f}  {floor:>13.3f}  {size / 1024:>8.0f} KiB")
    if not args.no_app:
        seconds = _request_seconds(161, args.repeat)
        print(f"\nGET /aset/label, 161 aset satu kecamatan (SQLite): {seconds:.3f} s")


if __name__ == "__main__":
    main()
