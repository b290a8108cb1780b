"""Issue 14: the phone drawing of each chart keeps its labels readable at 390 px.

A 390 px screen shows a chart about 330 px wide, so a drawing about 320 units wide is shown at
scale ≈ 1: its smallest label in units is its size in pixels there."""

import base64
import re
import xml.etree.ElementTree as ET

from assets_app.hearing import dashboard
from reports.charts import bar_chart_svg

NS = "{http://www.w3.org/2000/svg}"
PHONE_CHART_PX = 330  # a 390 px screen less the page's and the card's padding


def smallest_label_px(svg: str, shown_width: float = PHONE_CHART_PX) -> float:
    root = ET.fromstring(svg)
    view_width = float(root.get("viewBox").split()[2])
    sizes = [float(t.get("font-size")) for t in root.iter(f"{NS}text")]
    return min(sizes) * min(shown_width, 420) / view_width


def test_compact_bar_chart_is_readable_on_a_phone_and_the_wide_one_is_not():
    series = {"Perekaman": list(range(30)), "Ditolak": [1] * 30}
    labels = [f"{d:02d}/11" for d in range(1, 31)]
    narrow = bar_chart_svg(series, labels, "Pemakaian", width=320, compact=True, max_x_labels=5)
    wide = bar_chart_svg(series, labels, "Pemakaian")
    assert smallest_label_px(narrow) >= 11
    assert smallest_label_px(wide) < 5  # why the phone needs its own drawing
    assert 'class="chart chart-narrow"' in narrow and 'class="chart chart-wide"' in wide
    root = ET.fromstring(narrow)
    assert root.find(f"{NS}title").text == "Pemakaian"  # still its accessible name
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Pemakaian" not in texts  # the page prints the title above the drawing
    assert sum(1 for t in texts if re.fullmatch(r"\d\d/11", t or "")) <= 6
    assert "style=" not in narrow


def test_dashboard_charts_have_a_phone_drawing_with_readable_labels():
    items = [("Kec. Tamanan", 57_900_000), ("Kec. Cipocok Jaya", 43_150_000)]
    wide_uri, narrow_uri = dashboard._drawings(items, 150, 100, value_format=str)
    for uri, shown in ((narrow_uri, PHONE_CHART_PX), (wide_uri, 630)):
        svg = base64.b64decode(uri.split(",", 1)[1]).decode()
        width = float(re.search(r'width="([\d.]+)"', svg).group(1))
        sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)", svg)] or [
            float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)
        ]
        assert sizes, svg[:300]
        assert min(sizes) * shown / width >= 11, (uri[:40], min(sizes), width)
