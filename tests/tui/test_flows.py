"""Pilot tests of every flow: unlock, wrong passphrase, overview, browse, search, query, import, share, lock."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import ContentSwitcher, Label, OptionList, Select, Static, TextArea
from textual_fastdatatable import DataTable

from tests.tui.conftest import DEMO_PASSPHRASE, settle, unlock, wait_for
from tui.panes import registry
from tui.panes.share import SharePane
from tui.screens.dialogs import HelpDialog
from tui.screens.main import MainScreen
from tui.screens.unlock import UnlockScreen
from tui.widgets.results import ResultsView

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"


def text_of(widget: Any) -> str:
    return str(widget.render())


async def test_unlock_shows_overview(demo_vault: Path, make_app: Callable[..., Any]) -> None:
    app = make_app(demo_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        started = time.perf_counter()
        await unlock(pilot)
        assert isinstance(app.screen, MainScreen)
        data = app.screen.query_one("#overview").data
        kinds = {(platform, kind) for platform, kind, *_ in data.holdings}
        assert ("google", "locations") in kinds and ("whatsapp", "messages") in kinds
        assert sum(map(sum, data.activity)) > 0
        assert time.perf_counter() - started < 10


async def test_wrong_passphrase_is_refused(demo_vault: Path, make_app: Callable[..., Any]) -> None:
    app = make_app(demo_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"not the passphrase", "enter")
        for _ in range(200):
            await pilot.pause(0.05)
            if text_of(app.screen.query_one("#unlock-error", Label)):
                break
        assert isinstance(app.screen, UnlockScreen)
        assert app.vault is None
        assert "passphrase" in text_of(app.screen.query_one("#unlock-error", Label)).lower()
        assert app.screen.query_one("#passphrase").value == ""


async def test_browse_opens_a_table_and_sorts(demo_vault: Path, make_app: Callable[..., Any]) -> None:
    app = make_app(demo_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("g", "b")
        await settle(pilot)
        pane = app.screen.query_one("#browse")
        names = pane.table_names
        tables = app.screen.query_one("#browse-tables", OptionList)
        tables.highlighted = names.index("locations")
        tables.action_select()
        await settle(pilot)
        grid = app.screen.query_one("#browse-results", ResultsView)
        assert grid.data is not None and grid.data.num_rows == app.vault.store.counts()["locations"]
        grid.query_one(DataTable).focus()
        await pilot.press("s")  # the column under the cursor (the first: id), ascending
        await settle(pilot)
        ids = grid.data.column("id").to_pylist()
        assert ids == sorted(ids)
        grid.query_one(DataTable).focus()
        await pilot.press("s")  # then descending
        await settle(pilot)
        ids = grid.data.column("id").to_pylist()
        assert ids == sorted(ids, reverse=True)


async def test_browse_search_finds_messages(demo_vault: Path, make_app: Callable[..., Any]) -> None:
    app = make_app(demo_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        word = (
            app.engine.internal("SELECT text FROM messages WHERE length(text) > 20 ORDER BY id LIMIT 1")
            .column(0)[0]
            .as_py()
            .split()[0]
        )
        await pilot.press("g", "b")
        await settle(pilot)
        await pilot.press("slash", *word, "enter")
        await settle(pilot)
        grid = app.screen.query_one("#browse-results", ResultsView)
        assert grid.data is not None and grid.data.num_rows > 0
        assert "matching" in text_of(grid.query_one(".results-status", Static))


async def test_query_runs_records_history_and_shows_errors(
    vault_copy: Path, make_app: Callable[..., Any]
) -> None:
    app = make_app(vault_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("f4")
        await settle(pilot)
        editor = app.screen.query_one("#query-editor", TextArea)
        editor.text = "SELECT count(*) AS n FROM visits"
        await pilot.press("ctrl+r")
        await settle(pilot)
        result = app.screen.query_one("#query-results", ResultsView).data
        assert result is not None and result.column("n")[0].as_py() == app.vault.store.counts()["visits"]
        editor.text = "SELECT nope FROM visits"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "nope" in text_of(app.screen.query_one("#query-error", Static))
        history = app.vault.store.rows("SELECT sql, error FROM query_history ORDER BY id")
        assert history[-2][0] == "SELECT count(*) AS n FROM visits" and history[-2][1] is None
        assert history[-1][1] is not None


async def test_import_shows_progress_and_accounting(vault_copy: Path, make_app: Callable[..., Any]) -> None:
    gpx = sorted(FIXTURES.rglob("*.gpx"))[0]
    app = make_app(vault_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        before = app.record_total
        await pilot.press("g", "i")
        await settle(pilot)
        pane = app.screen.query_one("#import")
        pane.choose(gpx)
        # The chosen list grows by a line and pushes the button down: click it where it is now.
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        assert await pilot.click("#import-run")
        report = ""
        for _ in range(600):
            await settle(pilot, rounds=1)
            report = text_of(app.screen.query_one("#import-report", Static))
            if "Accounted for" in report:
                break
        assert "Accounted for" in report and gpx.name in report
        assert pane.bars >= 1
        assert app.record_total > before


async def test_share_operator_change_changes_a_finding(
    vault_copy: Path, make_app: Callable[..., Any], tmp_path: Path
) -> None:
    app = make_app(vault_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("g", "s")
        pane = app.screen.query_one("#share", SharePane)
        await wait_for(pilot, lambda: pane.preview is not None)
        assert pane.preview is not None
        first = pane.preview
        redacted = {f.id: f.severity for f in pane.preview.report.findings}
        editor = app.screen.query_one("#share-policy", TextArea)
        assert 'op = "redact"' in editor.text
        # The picker, not the TOML: choose the column, then "keep" at the top of the operator list.
        app.screen.query_one("#picker-column", Select).value = "text"
        await pilot.pause(0.1)
        assert app.screen.query_one("#picker-operator", Select).value == "redact"
        app.screen.query_one("#picker-operator", Select).focus()
        await pilot.press("enter", "home", "down", "enter")  # past the blank prompt to "keep"
        await wait_for(pilot, lambda: pane.preview is not first and pane.debounce is None)
        await settle(pilot)
        assert app.screen.query_one("#picker-operator", Select).value == "keep"
        assert "redact" not in editor.text
        kept = {f.id: f.severity for f in pane.preview.report.findings}
        assert kept != redacted
        assert "Worst:" in text_of(app.screen.query_one("#share-findings", Static))
        out = tmp_path / "slice.csv"
        pane.confirm_export(str(out))
        await wait_for(pilot, lambda: bool(app.screen.query("#confirm-yes")))
        await pilot.pause()
        assert pane.preview.report.worst_severity.value.upper() in text_of(
            app.screen.query_one("#confirm-text")
        )
        assert await pilot.click("#confirm-yes")
        await wait_for(pilot, out.exists)
        await settle(pilot)
        assert out.exists() and out.stat().st_mode & 0o777 == 0o600
        assert app.vault.store.scalar("SELECT count(*) FROM contributions") == 1


async def _idle_past_auto_lock(pilot: Any, app: Any, now: list[float]) -> None:
    """Move the app's clock past its one-minute auto-lock and wait for the unlock screen."""
    now[0] += 61
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, UnlockScreen) and bool(app.screen.query("#passphrase")),
        seconds=10,
    )
    assert isinstance(app.screen, UnlockScreen)


async def test_auto_lock_drops_the_vault(demo_vault: Path, make_app: Callable[..., Any]) -> None:
    now = [1000.0]
    app = make_app(demo_vault, clock=lambda: now[0], auto_lock_minutes=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        assert isinstance(app.screen, MainScreen)
        await _idle_past_auto_lock(pilot, app, now)
        assert app.vault is None and app.engine is None
        assert app.screen.query_one("#passphrase").value == ""


async def test_screenshot_command_is_removed(demo_vault: Path, make_app: Callable[..., Any]) -> None:
    app = make_app(demo_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Lock" in titles


async def test_palette_has_places_and_tasks(demo_vault: Path, make_app: Callable[..., Any]) -> None:
    app = make_app(demo_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for title in (
            "Go to Overview",
            "Go to Map",
            "Go to Ledger",
            "Import files…",
            "New share policy",
            "Help",
        ):
            assert title in commands
        commands["Go to Ledger"].callback()
        await settle(pilot)
        assert app.screen.query_one("#panes", ContentSwitcher).current == "ledger"
        commands["Help"].callback()
        await wait_for(pilot, lambda: isinstance(app.screen, HelpDialog), seconds=10)
        assert isinstance(app.screen, HelpDialog)


async def test_g_leader_reaches_every_place(demo_vault: Path, make_app: Callable[..., Any]) -> None:
    app = make_app(demo_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        for pane_id, _, key, _ in registry.PANES:
            await pilot.press("g", key)
            await pilot.pause(0.05)
            assert app.screen.query_one("#panes", ContentSwitcher).current == pane_id
            app.screen.query_one("#sidebar").focus()  # the query editor would take the next `g` as text
        await settle(pilot)


async def test_a_given_passphrase_unlocks_at_start_but_not_after_a_lock(
    demo_vault: Path, make_app: Callable[..., Any]
) -> None:
    from tui.app import CofferApp
    from vault import session

    now = [1000.0]
    credentials = session.Credentials(passphrase=DEMO_PASSPHRASE, device_secret=lambda _vault_id: None)
    app = CofferApp(demo_vault, credentials, clock=lambda: now[0], auto_lock_minutes=1)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(50):
            if isinstance(app.screen, MainScreen):
                break
            await pilot.pause(0.1)
        assert isinstance(app.screen, MainScreen)
        await _idle_past_auto_lock(pilot, app, now)
        await pilot.pause(0.5)
        assert isinstance(app.screen, UnlockScreen) and app.vault is None
        assert credentials.passphrase is None
