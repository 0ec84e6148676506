"""SVG snapshots of each screen at 120x40 on the seeded demo vault (fixed clock, no cursor blink)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from tests.tui.conftest import settle, unlock, wait_for
from tui.app import CofferApp
from vault import session, share
from vault.anonymize.keys import derive

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
SIZE = (120, 40)


def app_for(path: Path) -> CofferApp:
    return CofferApp(path, session.Credentials(), clock=lambda: 1000.0, stopwatch=lambda: 0.0)


def steady_cursors(app: CofferApp) -> None:
    """A blinking cursor is drawn or not depending on the moment: no focus, no cursor, stable pictures."""
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    app.screen.set_focus(None)


def going_to(*keys: str, then: Callable[[Any], Any] | None = None) -> Callable[[Any], Any]:
    async def run_before(pilot: Any) -> None:
        await unlock(pilot)
        pilot.app.import_start = FIXTURES / "gpx"
        await pilot.press(*keys)
        await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)
        steady_cursors(pilot.app)
        await pilot.pause(0.3)

    return run_before


async def open_locations(pilot: Any) -> None:
    pane = pilot.app.screen.query_one("#browse")
    tables = pilot.app.screen.query_one("#browse-tables", OptionList)
    tables.highlighted = pane.table_names.index("locations")
    tables.action_select()


async def run_query(pilot: Any) -> None:
    await pilot.press("ctrl+r")


async def wait_preview(pilot: Any) -> None:
    pane = pilot.app.screen.query_one("#share")
    await wait_for(pilot, lambda: pane.preview is not None and pane.debounce is None)


async def fixed_path(pilot: Any) -> None:
    """The vault's temporary path differs per run; the snapshot shows a fixed one."""
    pilot.app.screen.query_one("#unlock-path").update("/home/you/coffer/demo.db")
    await pilot.pause(0.2)


def test_unlock_screen(snap_compare: Any, vault_copy: Path) -> None:
    assert snap_compare(app_for(vault_copy), terminal_size=SIZE, run_before=fixed_path)


@pytest.mark.parametrize(
    ("keys", "then"),
    [
        (("g", "o"), None),
        (("g", "b"), open_locations),
        (("g", "m"), None),
        (("g", "q"), run_query),
        (("g", "i"), None),
        (("g", "s"), wait_preview),
        (("g", "l"), None),
        (("g", "t"), None),
    ],
    ids=["overview", "browse", "map", "query", "import", "share", "ledger", "settings"],
)
def test_pane(
    snap_compare: Any, demo_vault: Path, keys: tuple[str, ...], then: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pseudonyms (the share preview's ids) come from the vault's random data key: fix it here.
    monkeypatch.setattr(share, "derive", lambda _key, recipient, sha: derive(bytes(32), recipient, sha))
    assert snap_compare(app_for(demo_vault), terminal_size=SIZE, run_before=going_to(*keys, then=then))
