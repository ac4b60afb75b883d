"""The supervisor's charts: SVG a browser can show as an <img>, with its bars and points labelled and valued."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from govmon.reports.charts import NO_DATA, bar_chart, line_chart, svg_data_uri

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element, cls: str) -> list[str]:
    return [e.text for e in root.iter(f"{SVG}text") if e.get("class", "").split()[0] == cls]


def test_bar_chart_draws_one_labelled_bar_per_value_proportionally():
    root = parse(bar_chart("问题数量（按规则）", [("LINK-2 其他页面不可用链接", 8), ("HOME-1 首页不更新", 2)],
                           axis_label="问题数（个）"))
    assert texts(root, "title") == ["问题数量（按规则）"]
    bars = root.findall(f"{SVG}g[@class='bar']")
    assert [b.find(f"{SVG}title").text for b in bars] == ["LINK-2 其他页面不可用链接：8", "HOME-1 首页不更新：2"]
    assert texts(root, "label") == ["LINK-2 其他页面不可用链接", "HOME-1 首页不更新"]
    assert texts(root, "value") == ["8", "2"]
    widths = [float(b.find(f"{SVG}rect").get("width")) for b in bars]
    assert widths[0] == 4 * widths[1] > 0
    assert texts(root, "tick") == ["0", "2", "4", "6", "8"]  # a round axis reaching the largest value
    assert "问题数（个）" in texts(root, "axis-label")


def test_bar_chart_shortens_a_long_label_but_keeps_it_whole_in_the_tooltip():
    label = "MEDIA-1 政务新媒体不更新（“僵尸”账号）与其他很长的说明"
    root = parse(bar_chart("t", [(label, 1)]))
    (shown,) = texts(root, "label")
    assert shown.endswith("…") and len(shown) < len(label) and label.startswith(shown[:-1])
    assert root.find(f"{SVG}g/{SVG}title").text == f"{label}：1"


def test_chart_text_is_escaped():
    root = parse(bar_chart("<标题&>", [("a<b>&c", 1)]))
    assert texts(root, "title") == ["<标题&>"] and texts(root, "label") == ["a<b>&c"]


def test_line_chart_places_points_by_date_with_gaps_and_scales_to_y_max():
    points = [(date(2026, 10, 1), 25.0), (date(2026, 10, 2), 50.0), (date(2026, 10, 5), 75.0)]
    root = parse(line_chart("合格率趋势", points, axis_label="合格率（%）", y_max=100, value_format="{:g}%".format))
    circles = root.findall(f"{SVG}circle[@class='point']")
    assert [c.find(f"{SVG}title").text for c in circles] == ["2026-10-01：25%", "2026-10-02：50%", "2026-10-05：75%"]
    xs = [float(c.get("cx")) for c in circles]
    ys = [float(c.get("cy")) for c in circles]
    assert xs[2] - xs[1] == pytest.approx(3 * (xs[1] - xs[0]), abs=0.2)  # one day, then three: the gap shows
    assert ys[0] > ys[1] > ys[2]  # higher values are drawn higher
    assert abs((ys[0] - ys[2]) - 2 * (ys[1] - ys[2])) < 0.2  # linear in the value
    assert texts(root, "value") == ["25%", "50%", "75%"]
    assert texts(root, "tick") == ["0%", "20%", "40%", "60%", "80%", "100%"]  # up to y_max, not the largest value
    assert texts(root, "day") == ["10-01", "10-02", "10-05"]
    polyline = root.find(f"{SVG}polyline[@class='line']")
    assert len(polyline.get("points").split()) == 3


def test_a_long_series_labels_some_days_and_only_the_latest_value():
    points = [(date(2026, 7, 1) + timedelta(days=n), float(n)) for n in range(90)]
    root = parse(line_chart("未整改问题数趋势", points))
    assert len(root.findall(f"{SVG}circle[@class='point']")) == 90
    days = texts(root, "day")
    assert len(days) == 7 and days[0] == "07-01" and days[-1] == "09-28"
    assert texts(root, "value") == ["89"]


def test_a_single_point_is_drawn_in_the_middle():
    root = parse(line_chart("t", [(date(2026, 10, 8), 3.0)]))
    (circle,) = root.findall(f"{SVG}circle")
    (axis,) = [line for line in root.iter(f"{SVG}line") if line.get("stroke") == "#333"]
    assert float(circle.get("cx")) == (float(axis.get("x1")) + float(axis.get("x2"))) / 2


def test_empty_series_say_no_data_yet():
    for svg in (bar_chart("问题数量（按规则）", []), line_chart("合格率趋势", [])):
        root = parse(svg)
        assert texts(root, "no-data") == [NO_DATA]
        assert not root.findall(f"{SVG}circle") and not root.findall(f"{SVG}g")


def test_data_uri_round_trips_the_svg():
    svg = bar_chart("问题", [("甲", 1)])
    uri = svg_data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode("utf-8") == svg
