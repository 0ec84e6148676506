"""Small modal dialogs: the recovery key shown once, help, errors."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

HELP_TEXT = """\
Coffer keeps your platform exports in one encrypted vault.

  g o / F1   Overview        g b / F2   Browse        g m / F3   Map
  g q / F4   Query           g i / F5   Import        g s / F6   Share
  g l / F7   Ledger          g t / F8   Settings
  ctrl+p     command palette   ctrl+l   lock now   ctrl+q   quit   ?   this help

The vault locks itself after a few idle minutes (Settings). Nothing you see here is written to
disk unless you export it; screenshots are disabled.
"""


class RecoveryKeyDialog(ModalScreen[None]):
    """The recovery key of a new vault, shown once."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Close")]

    def __init__(self, recovery_key: str) -> None:
        super().__init__()
        self.recovery_key = recovery_key

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Your recovery key", classes="dialog-title")
            yield Static(
                "Write it down now and keep it somewhere safe. It opens the vault if you forget "
                "the passphrase, and it is shown only this once."
            )
            yield Static(self.recovery_key, id="recovery-key")
            yield Button("I have written it down", variant="primary", id="dialog-ok")

    def on_button_pressed(self) -> None:
        self.recovery_key = ""
        self.dismiss()


class HelpDialog(ModalScreen[None]):
    """The keys and what Coffer does."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Help", classes="dialog-title")
            yield Static(HELP_TEXT)
            yield Button("Close", id="dialog-ok")

    def on_button_pressed(self) -> None:
        self.dismiss()


class ErrorDialog(ModalScreen[None]):
    """An error a worker met, in one plain sentence."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "dismiss", "Close")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Something went wrong", classes="dialog-title")
            yield Static(self.message)
            yield Button("Close", id="dialog-ok")

    def on_button_pressed(self) -> None:
        self.dismiss()


class PathDialog(ModalScreen[str | None]):
    """Ask where to write a file; returns the path typed, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, suggestion: str) -> None:
        super().__init__()
        self.title_text = title
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(self.suggestion, id="dialog-path")
            yield Button("Write", variant="primary", id="dialog-ok")

    def on_input_submitted(self) -> None:
        self.dismiss(self.query_one("#dialog-path", Input).value.strip() or None)

    def on_button_pressed(self) -> None:
        self.on_input_submitted()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; the text says what will happen."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, text: str, yes: str = "Yes") -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.text, id="confirm-text")
            yield Button(self.yes, variant="primary", id="confirm-yes")
            yield Button("Cancel", id="confirm-no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_cancel(self) -> None:
        self.dismiss(False)
