"""What every pane shares: the open vault and engine, lazy first load, and one worker-failure handler."""

from __future__ import annotations

import time
from typing import Any

from textual.containers import Vertical
from textual.worker import Worker, WorkerState

from vault.errors import CofferError


def error_text(error: BaseException | None) -> str:
    """A user-caused error in its own words; anything else by its kind only (values may be secret)."""
    if isinstance(error, CofferError) or type(error).__name__ in ("QueryError", "PolicyError"):
        return str(error)
    return f"An unexpected {type(error).__name__} stopped this task."


class Pane(Vertical):
    """A place of the sidebar; loads its data the first time it is shown."""

    loaded = False
    focus_on_mount = False

    def on_mount(self) -> None:
        if self.focus_on_mount:
            self.focus_on_mount = False
            self.focus_first()

    @property
    def vault(self) -> Any:
        return getattr(self.app, "vault", None)

    @property
    def engine(self) -> Any:
        return getattr(self.app, "engine", None)

    def on_show(self) -> None:
        if not self.loaded and self.vault is not None:
            self.loaded = True
            self.load()

    def stopwatch(self) -> float:
        """Seconds on the app's stopwatch (pinned in snapshot tests, so timings do not vary)."""
        return float(getattr(self.app, "stopwatch", time.perf_counter)())

    def load(self) -> None:
        """Start the pane's first data load (in a worker)."""

    def focus_first(self) -> None:
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus()
                return

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.worker_failed(event.worker.error)

    def worker_failed(self, error: BaseException | None) -> None:
        from tui.screens.dialogs import ErrorDialog

        if self.app.is_running and getattr(self.app, "vault", None) is not None:
            self.app.push_screen(ErrorDialog(error_text(error)))
