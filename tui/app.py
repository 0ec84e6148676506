"""The Coffer app: wires the unlock screen and the main screen, and guards the session.

The App holds the open vault and engine, locks itself after idle minutes, and never shows a
traceback: Textual's crash output prints local variables, which could hold the key.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from rich.segment import Segments
from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui.screens.unlock import Unlocked, UnlockScreen
from vault import session

DEFAULT_AUTO_LOCK_MINUTES = 5.0


class CofferApp(App[None]):
    """Coffer's terminal app."""

    CSS_PATH = "app.tcss"
    TITLE = "Coffer"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+l", "lock", "Lock", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        vault_path: Path,
        credentials: session.Credentials,
        *,
        auto_lock_minutes: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        stopwatch: Callable[[], float] = time.perf_counter,
    ) -> None:
        super().__init__()
        self.vault_path = vault_path
        self.credentials = credentials
        self.clock = clock
        self.stopwatch = stopwatch  # times the "done in N ms" figures; tests pin it for snapshots
        self.vault: session.Vault | None = None
        self.engine: Any = None
        self.fixed_auto_lock = auto_lock_minutes
        self.auto_lock_minutes = auto_lock_minutes or DEFAULT_AUTO_LOCK_MINUTES
        self.last_activity = clock()
        self.crash_line: str | None = None
        self.record_total = 0
        self.import_start: Path | None = None  # where Import's file tree opens (home by default)

    def on_mount(self) -> None:
        self.push_screen(UnlockScreen(self.vault_path, self.credentials))
        self.set_interval(1.0, self.lock_if_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_activity = self.clock()
        await super().on_event(event)

    def on_unlocked(self, message: Unlocked) -> None:
        from tui.screens.main import MainScreen

        self.vault = message.vault
        self.engine = message.engine
        self.refresh_record_total()
        self.auto_lock_minutes = self.fixed_auto_lock or _auto_lock_setting(message.vault)
        self.last_activity = self.clock()
        self.switch_screen(MainScreen(recovery_key=message.recovery_key))

    def refresh_record_total(self) -> None:
        """Records in the vault (for the status line); called after unlock and every import."""
        if self.vault is not None:
            self.record_total = self.vault.store.record_total()

    def data_changed(self) -> None:
        """After a write: a fresh engine (nothing stale is served) and panes that reload when shown."""
        from tui.data import open_engine
        from tui.panes.base import Pane

        if self.vault is None:
            return
        if self.engine is not None:
            self.engine.close()
        self.engine = open_engine(self.vault.store)
        self.refresh_record_total()
        for pane in self.screen.query(Pane):
            pane.loaded = False
            if pane.display:
                pane.on_show()

    def seconds_to_lock(self) -> float:
        return max(0.0, self.auto_lock_minutes * 60 - (self.clock() - self.last_activity))

    def lock_if_idle(self) -> None:
        if self.vault is not None and self.seconds_to_lock() <= 0:
            self.action_lock()

    def action_lock(self) -> None:
        """Close the vault, drop every reference to its data, and ask for the passphrase again."""
        if self.vault is None:
            return
        self.workers.cancel_all()
        self.close_vault()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(UnlockScreen(self.vault_path, self.credentials, automatic=False))

    def close_vault(self) -> None:
        """Drop the engine and close the vault (idempotent)."""
        engine, vault = self.engine, self.vault
        self.engine = self.vault = None
        if engine is not None:
            engine.close()
        if vault is not None:
            vault.close()

    def on_unmount(self) -> None:
        self.close_vault()

    async def action_quit(self) -> None:
        """Close the vault and leave (no unlock screen on the way out)."""
        self.workers.cancel_all()
        self.close_vault()
        self.exit()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands, less the screenshot (it would write the screen, data and all, to disk)."""
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":
                yield command
        yield SystemCommand("Lock", "Lock the vault now", self.action_lock)
        if self.vault is not None:
            from tui.screens.main import place_commands

            yield from place_commands(screen)

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Screenshots are disabled: they would write vault content to a file."""

    def deliver_screenshot(self, *args: Any, **kwargs: Any) -> str | None:
        return None

    def _handle_exception(self, error: Exception) -> None:
        """A crash ends the app with one plain line: no traceback, no local variables."""
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self.crash_line = f"coffer: error: the app stopped on an unexpected {type(error).__name__}"
        self._exit_renderables.append(
            Segments(self.console.render(Text(self.crash_line), self.console.options))
        )
        self._close_messages_no_wait()


def _auto_lock_setting(vault: session.Vault) -> float:
    value = vault.store.scalar("SELECT value FROM settings WHERE key = 'auto_lock_minutes'")
    try:
        return float(value) if value else DEFAULT_AUTO_LOCK_MINUTES
    except ValueError:
        return DEFAULT_AUTO_LOCK_MINUTES


def run_app(vault_path: Path, credentials: session.Credentials) -> None:
    """Run the app in this terminal; a crash ends with one `coffer: error:` line and exit 1."""
    app = CofferApp(vault_path, credentials)
    app.run()
    app.close_vault()
    if app.return_code:
        raise SystemExit(app.return_code)
