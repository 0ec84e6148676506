"""The `g` leader: a small prompt that takes the next key and names the place to go to.

A modal screen holds the focus while it waits, so no input, editor or list can swallow the
second key, whatever the terminal sends in between.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.panes import registry


def goto_hint() -> str:
    """One line per place: its key and its title."""
    return "\n".join(f"  {key}   {title}" for _, title, key, _ in registry.PANES) + "\n\n  esc  stay here"


class GoToScreen(ModalScreen[str | None]):
    """Waits for one key after `g`; returns the pane id it names, or None."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="goto-box"):
            yield Static("Go to…", classes="dialog-title")
            yield Static(goto_hint(), id="goto-hint")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        targets = {key: pane_id for pane_id, _, key, _ in registry.PANES}
        self.dismiss(targets.get(event.character or event.key))
