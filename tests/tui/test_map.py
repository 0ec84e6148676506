"""The map's view and canvas: the owner's city fills the canvas, and fixes, visits, H and W are drawn."""

from __future__ import annotations

import numpy as np

from tui.panes.map import MapData, View, draw, home_view
from tui.widgets.charts import BRAILLE_BASE, BrailleCanvas
from vault.places import LatLon

HOME = LatLon(52.5, 13.4)
WORK = LatLon(52.54, 13.42)


def city_with_trips() -> MapData:
    """Most fixes within a few km of home, a few hundred far away (a trip abroad), as the demo has."""
    rng = np.random.default_rng(7)
    lat = np.concatenate([rng.normal(HOME.lat + 0.01, 0.02, 5000), rng.normal(40.4, 0.05, 150)])
    lon = np.concatenate([rng.normal(HOME.lon + 0.01, 0.03, 5000), rng.normal(-3.7, 0.05, 150)])
    visits = (np.array([52.51, 40.4]), np.array([13.41, -3.7]))
    return MapData(None, ["2023-01"], (lat, lon), visits, HOME, WORK)


def cells(text: str) -> list[str]:
    return text.splitlines()


def test_home_view_is_centred_on_home_and_spans_the_city() -> None:
    view = home_view(city_with_trips())
    assert (view.lat, view.lon) == (HOME.lat, HOME.lon)
    assert 0.05 < view.span < 0.5  # kilometres, not the 12 degrees the trip would stretch it to


def test_draw_shows_fixes_visits_home_and_work() -> None:
    data = city_with_trips()
    lines = cells(draw(data, home_view(data), 80, 24).plain)
    canvas = "".join(lines)
    dots = sum(1 for ch in canvas if BRAILLE_BASE < ord(ch) <= BRAILLE_BASE + 0xFF)
    assert dots > 200  # the city is a cloud of dots, not a speck
    assert canvas.count("H") == 1 and canvas.count("W") == 1
    assert "○" in canvas
    home_row = next(i for i, line in enumerate(lines) if "H" in line)
    assert abs(home_row - 12) <= 1 and abs(lines[home_row].index("H") - 40) <= 1
    work_row = next(i for i, line in enumerate(lines) if "W" in line)
    assert work_row < home_row  # work lies north of home


def test_zooming_out_brings_the_trip_into_view() -> None:
    data = city_with_trips()
    near = draw(data, home_view(data), 80, 24).plain
    far = draw(data, View(HOME.lat, HOME.lon, 30.0), 80, 24).plain
    rings = [(row, line.index("○")) for row, line in enumerate(far.splitlines()) if "○" in line]
    assert near.count("○") == 1
    assert any(row > 14 and col < 38 for row, col in rings)  # Madrid: south-west of a Berlin home


def test_points_off_the_canvas_are_dropped_not_piled_on_the_edge() -> None:
    canvas = BrailleCanvas(10, 5)
    canvas.dots(np.array([-0.5, 1.5, 0.5]), np.array([0.5, 0.5, 2.0]))
    assert canvas.render().plain.replace("\n", "") == chr(BRAILLE_BASE) * 50
    canvas.dots(np.array([0.0]), np.array([0.999]))
    assert canvas.render().plain[0] == chr(BRAILLE_BASE + 0x01)
