"""Map: location fixes, visits and the inferred home and work on a braille canvas, month by month.

The view opens on home (or the middle of the fixes) and spans the 5th to 95th percentile of the
chosen month's fixes, so the owner's city fills the canvas even when trips abroad stretch the
full extent across a continent; `-` zooms out, `+` in, `0` back to that view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tui.panes.base import Pane
from tui.widgets.charts import BrailleCanvas

MAX_POINTS = 200_000
MIN_SPAN_DEG = 0.01  # about 1 km: never zoom in further than a neighbourhood
MAX_SPAN_DEG = 170.0
ZOOM_STEP = 2.0
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class MapData:
    """What one month (or all time, `month` None) puts on the map."""

    month: str | None
    months: list[str]
    fixes: tuple[FloatArray, FloatArray]
    visits: tuple[FloatArray, FloatArray]
    home: Any
    work: Any


@dataclass(frozen=True)
class View:
    """The centre of the canvas and the degrees of latitude it shows from bottom to top."""

    lat: float
    lon: float
    span: float

    def zoomed(self, factor: float) -> View:
        """The same centre, `factor` times more ground (capped at the whole world)."""
        return View(self.lat, self.lon, min(MAX_SPAN_DEG, max(MIN_SPAN_DEG, self.span * factor)))


def load_map(engine: Any, vault: Any, month: str | None) -> MapData:
    """Fixes (a sample of at most MAX_POINTS), visits, home and work for `month` or all time."""
    from vault.share import vault_truth

    rows = engine.internal("SELECT DISTINCT strftime(ts, '%Y-%m') AS m FROM locations ORDER BY m")
    months = [str(m) for m in rows.column("m").to_pylist()]
    where = "WHERE strftime(ts, '%Y-%m') = ?" if month else ""
    visit_where = "WHERE lat IS NOT NULL" + (" AND strftime(start_ts, '%Y-%m') = ?" if month else "")
    params = [month] if month else []
    fixes = engine.internal(
        f"SELECT lat, lon FROM locations {where} USING SAMPLE reservoir({MAX_POINTS} ROWS) REPEATABLE (1)",
        params,
    )
    visits = engine.internal(f"SELECT lat, lon FROM visits {visit_where}", params)
    truth = vault_truth(vault, engine)
    return MapData(
        month,
        months,
        (_floats(fixes, "lat"), _floats(fixes, "lon")),
        (_floats(visits, "lat"), _floats(visits, "lon")),
        truth.home,
        truth.work,
    )


def _floats(table: Any, column: str) -> FloatArray:
    return np.asarray(table.column(column).to_numpy(zero_copy_only=False), dtype=np.float64)


def home_view(data: MapData) -> View:
    """Centred on home (else the median fix), wide enough for the 5-95% box of the fixes."""
    lat, lon = data.fixes
    if data.home is not None:
        centre = (float(data.home.lat), float(data.home.lon))
    elif lat.size:
        centre = (float(np.median(lat)), float(np.median(lon)))
    else:
        return View(0.0, 0.0, MAX_SPAN_DEG)
    if lat.size == 0:
        return View(*centre, MIN_SPAN_DEG * 4)
    south, north = np.percentile(lat, [5, 95])
    west, east = np.percentile(lon, [5, 95])
    squash = math.cos(math.radians(centre[0]))
    half_lat = max(abs(north - centre[0]), abs(centre[0] - south))
    half_lon = max(abs(east - centre[1]), abs(centre[1] - west)) * squash
    return View(*centre, min(MAX_SPAN_DEG, max(MIN_SPAN_DEG, 2.2 * max(half_lat, half_lon))))


def projection(view: View, width: int, height: int) -> tuple[float, float]:
    """Degrees of latitude and longitude the canvas shows, keeping ground distances square."""
    squash = max(math.cos(math.radians(view.lat)), 0.01)
    # A braille cell is 2 dots wide and 4 high, and a terminal cell about twice as high as wide.
    lat_span = view.span * max(1.0, (height * 2) / width)
    lon_span = lat_span / squash * width / (height * 2)
    return lat_span, lon_span


def draw(data: MapData, view: View, width: int, height: int) -> Text:
    """The canvas: fixes as dots, visits as rings, home and work as H and W."""
    canvas = BrailleCanvas(width, height)
    lat_span, lon_span = projection(view, width, height)

    def place(lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
        return (lon - view.lon) / lon_span + 0.5, (lat - view.lat) / lat_span + 0.5

    canvas.dots(*place(data.fixes[0], data.fixes[1]))
    for x, y in zip(*place(data.visits[0], data.visits[1]), strict=True):
        canvas.label(float(x), float(y), "○", "yellow")
    for spot, char in ((data.home, "H"), (data.work, "W")):
        if spot is not None:
            x, y = place(np.array([spot.lat]), np.array([spot.lon]))
            canvas.label(float(x[0]), float(y[0]), char, "bold reverse red")
    return canvas.render()


def legend(data: MapData, view: View) -> Text:
    text = Text()
    text.append(f"{data.month or 'all time'}", style="bold")
    text.append(f"  {_km(view.span)}   [ ] month  a all  - + 0 zoom   ")
    text.append("⠿ ", style="cyan")
    text.append(f"{data.fixes[0].size:,} fixes  ")
    text.append("○ ", style="yellow")
    text.append(f"{data.visits[0].size:,} visits  ")
    text.append("H", style="bold reverse red")
    text.append(" home  " if data.home is not None else " home (not inferred)  ")
    text.append("W", style="bold reverse red")
    text.append(" work" if data.work is not None else " work (not inferred)")
    return text


def _km(span_deg: float) -> str:
    km = span_deg * 111.32
    return f"{km:,.0f} km tall" if km >= 10 else f"{km:.1f} km tall"


class MapPane(Pane):
    """Where the data says you were."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "step(-1)", "Previous month"),
        Binding("right_square_bracket", "step(1)", "Next month"),
        Binding("a", "all_time", "All time"),
        Binding("minus", "zoom(2.0)", "Zoom out"),
        Binding("plus,equals_sign", "zoom(0.5)", "Zoom in"),
        Binding("0", "reset_view", "Home view"),
    ]

    data: MapData | None = None
    view: View | None = None

    def compose(self) -> ComposeResult:
        yield Static("Loading…", id="map-controls")
        yield Static("", id="map-canvas")

    def load(self) -> None:
        self.fetch(None)

    def focus_first(self) -> None:
        self.query_one("#map-canvas", Static).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="map")
    def fetch(self, month: str | None) -> None:
        data = load_map(self.engine, self.vault, month)
        self.app.call_from_thread(self.show, data)

    def show(self, data: MapData) -> None:
        self.data, self.view = data, home_view(data)
        self.paint()

    def paint(self) -> None:
        if self.data is None or self.view is None:
            return
        self.query_one("#map-controls", Static).update(legend(self.data, self.view))
        canvas = self.query_one("#map-canvas", Static)
        width, height = max(canvas.size.width, 20), max(canvas.size.height, 8)
        canvas.update(draw(self.data, self.view, width, height))

    def on_resize(self) -> None:
        self.paint()

    def action_zoom(self, factor: float) -> None:
        if self.view is not None:
            self.view = self.view.zoomed(factor)
            self.paint()

    def action_reset_view(self) -> None:
        if self.data is not None:
            self.show(self.data)

    def action_step(self, delta: int) -> None:
        if self.data is None or not self.data.months:
            return
        months = self.data.months
        if self.data.month in months:
            index = months.index(self.data.month) + delta
        else:
            index = len(months) - 1 if delta < 0 else 0
        self.fetch(months[max(0, min(len(months) - 1, index))])

    def action_all_time(self) -> None:
        self.fetch(None)
