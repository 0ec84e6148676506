"""The TUI on a generated 1,000,000-fix vault (issue 11), driven headless by Textual's Pilot.

`tui_unlock_to_overview`: from Enter on the passphrase to the overview's holdings painted
(key derivation included), and on to the whole overview (the months need every fix loaded).
`tui_open_locations`: from choosing `locations` in Browse to its first rows painted, with the
fixes already loaded by the overview (warm) and on a fresh engine that must load them (cold).

    python -m benchmarks.bench_tui [--points N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.bench_query import PASSPHRASE, POINTS, QUICK_POINTS, build_vault
from benchmarks.harness import Figures, Goal, scenario

SIZE = (120, 40)
POLL_S = 0.005
TIMEOUT_S = 60.0


def vault_path(points: int) -> Path:
    folder = Path(tempfile.gettempdir()) / "coffer-bench-query"
    folder.mkdir(exist_ok=True, mode=0o700)
    return build_vault(folder, points)


async def wait_until(pilot: Any, ready: Callable[[], bool]) -> float:
    """Seconds until `ready()` holds and the screen has been refreshed once more."""
    started = time.perf_counter()
    while not ready():
        if time.perf_counter() - started > TIMEOUT_S:
            raise TimeoutError("the TUI did not get there in time")
        await pilot.pause(POLL_S)
    await pilot.pause()
    return time.perf_counter() - started


def stamp_overview(stamps: dict[str, float]) -> None:
    """Note when the overview hands its holdings and its last part to the screen.

    Pilot's key presses wait until the app is idle, so the app itself must say when it painted.
    """
    from tui.panes.overview import OverviewPane

    def stamped(name: str, method: Callable[..., None]) -> Callable[..., None]:
        def run(*args: Any) -> None:
            method(*args)
            stamps.setdefault(name, time.perf_counter())

        return run

    OverviewPane.show_holdings = stamped("holdings", OverviewPane.show_holdings)  # type: ignore[method-assign]
    OverviewPane.show_data = stamped("complete", OverviewPane.show_data)  # type: ignore[method-assign]


def rows_painted(app: Any) -> bool:
    from textual_fastdatatable import DataTable

    grids = app.screen.query("#browse-results DataTable")
    return bool(grids) and grids.first(DataTable).row_count > 0


async def open_locations(pilot: Any) -> float:
    """Choose `locations` in Browse; seconds until its first rows are painted."""
    from textual.widgets import OptionList

    app = pilot.app
    await pilot.press("g", "b")
    pane = app.screen.query_one("#browse")
    await wait_until(pilot, lambda: bool(getattr(pane, "table_names", None)))
    tables = app.screen.query_one("#browse-tables", OptionList)
    tables.highlighted = pane.table_names.index("locations")
    started = time.perf_counter()
    tables.action_select()
    await wait_until(pilot, lambda: rows_painted(app))
    return time.perf_counter() - started


async def drive(path: Path) -> Figures:
    from tui.app import CofferApp
    from tui.data import open_engine
    from vault import session

    app = CofferApp(path, session.Credentials(), clock=lambda: 0.0)
    figures: Figures = {}
    stamps: dict[str, float] = {}
    stamp_overview(stamps)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*PASSPHRASE)
        started = time.perf_counter()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "complete" in stamps)
        figures["unlock_to_overview_s"] = round(stamps["holdings"] - started, 3)
        figures["unlock_to_overview_complete_s"] = round(stamps["complete"] - started, 3)
        figures["open_locations_warm_s"] = round(await open_locations(pilot), 3)
        browse: Any = app.screen.query_one("#browse")
        browse.loaded = False
        app.engine.close()
        vault: Any = app.vault
        app.engine = open_engine(vault.store)
        await pilot.press("g", "o")
        await pilot.pause()
        figures["open_locations_cold_s"] = round(await open_locations(pilot), 3)
        figures["fixes"] = float(vault.store.counts()["locations"])
        await app.action_quit()
    return figures


def measure(points: int) -> Figures:
    return asyncio.run(drive(vault_path(points)))


@scenario(
    "tui_unlock_to_overview",
    "tui",
    goals=(
        Goal("unlock_to_overview_s", 1.0),
        Goal("open_locations_warm_s", 1.0),
        Goal("open_locations_cold_s", 1.0),
    ),
)
def tui_unlock_to_overview(quick: bool) -> Figures:
    return measure(QUICK_POINTS if quick else POINTS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=POINTS)
    args = parser.parse_args()
    print(json.dumps(measure(args.points), indent=2))


if __name__ == "__main__":
    main()
