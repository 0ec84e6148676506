"""The main screen: a sidebar of places, the current pane, and the status line."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any, ClassVar

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Label, ListItem, ListView, Static

from tui.panes import registry


class MainScreen(Screen[None]):
    """Everything after unlock."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "leader", "Go to…", show=False),
        *(
            Binding(f"f{i + 1}", f"go('{pane_id}')", title, show=False)
            for i, (pane_id, title, _, _) in enumerate(registry.PANES)
        ),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, recovery_key: str | None = None) -> None:
        super().__init__()
        self.recovery_key = recovery_key

    def action_leader(self) -> None:
        """`g` then a letter goes to a place (g o overview, g q query...)."""
        from tui.screens.goto import GoToScreen

        self.app.push_screen(GoToScreen(), self.go_if_chosen)

    def go_if_chosen(self, pane_id: str | None) -> None:
        if pane_id is not None:
            # After the prompt's screen is gone and this one has taken its focus back.
            self.call_after_refresh(self.action_go, pane_id)

    def compose(self) -> ComposeResult:
        yield Static("", id="status-line")
        with Horizontal(id="main"):
            yield ListView(
                *(ListItem(Label(title), id=f"nav-{pane_id}") for pane_id, title, _, _ in registry.PANES),
                id="sidebar",
            )
            # Only the overview is built now; each other place is built the first time it is visited.
            with ContentSwitcher(initial="overview", id="panes"):
                yield registry.build("overview")
        yield Footer()

    def on_mount(self) -> None:
        self.update_status()
        self.set_interval(1.0, self.update_status)
        if self.recovery_key:
            from tui.screens.dialogs import RecoveryKeyDialog

            self.app.push_screen(RecoveryKeyDialog(self.recovery_key))
            self.recovery_key = None

    def update_status(self) -> None:
        app: Any = self.app
        if app.vault is None:
            return
        remaining = int(app.seconds_to_lock())
        self.query_one("#status-line", Static).update(
            f" Coffer ─ {app.vault.path.name} ─ {app.record_total:,} records"
            f"{'':>10}locked in {remaining // 60}:{remaining % 60:02d} "
        )

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        if event.item.id:
            self.action_go(event.item.id.removeprefix("nav-"))

    def action_go(self, pane_id: str) -> None:
        switcher = self.query_one("#panes", ContentSwitcher)
        panes = switcher.query_children(f"#{pane_id}")
        if panes:
            pane: Any = panes.first()
            pane.focus_first()
        else:
            pane = registry.build(pane_id)
            pane.focus_on_mount = True
            switcher.mount(pane)
        switcher.current = pane_id
        self.query_one("#sidebar", ListView).index = [p[0] for p in registry.PANES].index(pane_id)

    def action_import(self) -> None:
        """Go to Import with the path field focused."""
        self.action_go("import")

    def action_new_policy(self) -> None:
        """Go to Share and start over from the dataset's commented template."""
        self.action_go("share")
        share: Any = self.query_one("#share")
        if share.loaded:
            share.restart_policy()

    def action_help(self) -> None:
        from tui.screens.dialogs import HelpDialog

        self.app.push_screen(HelpDialog())


def place_commands(screen: object) -> Iterator[SystemCommand]:
    """The command palette's places and tasks, when the main screen is showing."""
    if not isinstance(screen, MainScreen):
        return
    for pane_id, title, key, _ in registry.PANES:
        yield SystemCommand(f"Go to {title}", f"Show {title} (g {key})", partial(screen.action_go, pane_id))
    yield SystemCommand("Import files…", "Choose export files or folders to import", screen.action_import)
    yield SystemCommand("New share policy", "Start a fresh share policy in Share", screen.action_new_policy)
    yield SystemCommand("Help", "Keys and what Coffer does", screen.action_help)
