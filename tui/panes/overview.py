"""Overview: what the vault holds per platform and kind, months covered, activity by hour, latest imports.

It paints in three steps so a large vault shows something at once: the holdings come from the
store's own aggregates (location fixes are counted in their chunks, nothing is decoded), then the
activity heatmap from the small chat tables, then the months, which need every fix loaded.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.panes.base import Pane
from tui.widgets.charts import heatmap, sparkline
from vault.engine import DASHBOARD_QUERIES

TIMED = (
    ("visits", "start_ts"),
    ("trips", "start_ts"),
    ("messages", "ts"),
    ("posts", "ts"),
    ("interactions", "ts"),
    ("profile_facts", "ts"),
)
ACTIVE = ("messages", "posts", "interactions")
Holding = tuple[str, str, int, str, str]


@dataclass(frozen=True)
class OverviewData:
    """Everything the overview draws, computed in a worker."""

    holdings: list[Holding]
    months: list[tuple[str, int]]
    activity: list[list[float]]
    zone: str
    imports: list[tuple[str, str, int, str]] = field(default_factory=list)


def _day(column: str) -> str:
    return f"strftime('%Y-%m-%d', {column} / 1000, 'unixepoch')"


def load_holdings(store: Any) -> list[Holding]:
    """Rows per platform and kind with first and last day, from the store (no table is loaded)."""
    parts = [
        f"SELECT platform, 'locations', sum(rows), {_day('min(first_ts)')}, {_day('max(last_ts)')} "
        "FROM location_chunks GROUP BY platform"
    ]
    parts += [
        f"SELECT platform, '{name}', count(*), {_day(f'min({column})')}, {_day(f'max({column})')} "
        f"FROM {name} GROUP BY platform"
        for name, column in TIMED
    ]
    rows = store.rows(" UNION ALL ".join(parts))
    holdings = [(str(p), str(k), int(n), str(a or ""), str(b or "")) for p, k, n, a, b in rows]
    return sorted(holdings, key=lambda h: (-h[2], h[0], h[1]))


def load_activity(engine: Any, zone: str) -> list[list[float]]:
    """Messages, posts and interactions by local weekday and hour."""
    union = " UNION ALL ".join(f"SELECT ts FROM {name}" for name in ACTIVE)
    cells = engine.internal(
        f"SELECT isodow(ts AT TIME ZONE ?) - 1 AS d, hour(ts AT TIME ZONE ?) AS h, count(*) AS n "
        f"FROM ({union}) WHERE ts IS NOT NULL GROUP BY ALL",
        [zone, zone],
    ).to_pylist()
    grid = [[0.0] * 24 for _ in range(7)]
    for cell in cells:
        grid[int(cell["d"])][int(cell["h"])] = float(cell["n"])
    return grid


def load_months(engine: Any) -> list[tuple[str, int]]:
    """Records per month over the timeline (the engine's dashboard query, summed over platforms)."""
    per_month: dict[str, int] = {}
    for row in engine.internal(DASHBOARD_QUERIES["per_platform_month"]).to_pylist():
        month = row["month"].strftime("%Y-%m")
        per_month[month] = per_month.get(month, 0) + int(row["n"])
    return sorted(per_month.items())


def load_overview(engine: Any, store: Any, zone: str) -> OverviewData:
    """Every part of the overview at once (read-only, in the caller's thread)."""
    return OverviewData(
        holdings=load_holdings(store),
        months=load_months(engine),
        activity=load_activity(engine, zone),
        zone=zone,
        imports=latest_imports(store),
    )


def latest_imports(store: Any, limit: int = 5) -> list[tuple[str, str, int, str]]:
    """The last imports: file, when (UTC date), records added, status."""
    rows = store.rows(
        "SELECT file_name, started_at, counts, status FROM imports ORDER BY started_at DESC, id DESC LIMIT ?",
        (limit,),
    )
    return [
        (str(name), _date(started), _added(counts), str(status)) for name, started, counts, status in rows
    ]


def _date(ms: int | None) -> str:
    return dt.datetime.fromtimestamp((ms or 0) / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M")


def _added(counts: str | None) -> int:
    try:
        return sum(int(v) for v in json.loads(counts or "{}").values())
    except (ValueError, TypeError, AttributeError):
        return 0


def holdings_table(data: OverviewData) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name, justify in (
        ("Platform", "left"),
        ("Kind", "left"),
        ("Rows", "right"),
        ("From", "left"),
        ("To", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for platform, kind, rows, first, last in data.holdings:
        table.add_row(str(platform), kind, f"{rows:,}", first or "", last or "")
    return table


def months_text(data: OverviewData) -> Text:
    if not data.months:
        return Text("Records per month   (nothing yet)")
    line = sparkline([n for _, n in data.months])
    return Text.assemble(
        ("Records per month   ", "bold"), (line, "green"), f"   {data.months[0][0]} … {data.months[-1][0]}"
    )


def imports_text(data: OverviewData) -> Text:
    text = Text("Latest imports\n", style="bold")
    for name, _when, added, status in data.imports:
        text.append(f"  {status:<10} {added:>9,}  {name}\n", style="")
    if not data.imports:
        text.append("  none yet: press g i to import an export\n", style="dim")
    return text


class OverviewPane(Pane):
    """The first thing after unlock."""

    data: OverviewData | None = None
    holdings: list[Holding] | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="overview-scroll"):
            yield Static("Loading…", id="overview-holdings")
            yield Static("", id="overview-months")
            yield Static("", id="overview-activity")
            yield Static("", id="overview-imports")

    def load(self) -> None:
        from vault.share import local_zone

        self.data = self.holdings = None
        self.fetch(local_zone(self.vault))

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def fetch(self, zone: str) -> None:
        store = self.vault.store
        holdings, imports = load_holdings(store), latest_imports(store)
        self.app.call_from_thread(self.show_holdings, holdings, imports)
        activity = load_activity(self.engine, zone)
        self.app.call_from_thread(self.show_activity, activity, zone)
        months = load_months(self.engine)
        data = OverviewData(holdings, months, activity, zone, imports)
        self.app.call_from_thread(self.show_data, data)

    def show_holdings(self, holdings: list[Holding], imports: list[tuple[str, str, int, str]]) -> None:
        partial = OverviewData(holdings, [], [], "", imports)
        self.query_one("#overview-holdings", Static).update(holdings_table(partial))
        self.query_one("#overview-months", Static).update(Text("Records per month   loading…"))
        self.query_one("#overview-imports", Static).update(imports_text(partial))
        self.holdings = holdings

    def show_activity(self, activity: list[list[float]], zone: str) -> None:
        text = Text(f"Activity (local time, {zone})\n", style="bold")
        text.append_text(heatmap(activity))
        self.query_one("#overview-activity", Static).update(text)

    def show_data(self, data: OverviewData) -> None:
        self.query_one("#overview-holdings", Static).update(holdings_table(data))
        self.query_one("#overview-months", Static).update(months_text(data))
        self.show_activity(data.activity, data.zone)
        self.query_one("#overview-imports", Static).update(imports_text(data))
        self.data = data
