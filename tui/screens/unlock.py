"""Unlock an existing vault (passphrase, this machine's keyring, or the recovery key), or create one."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Label, LoadingIndicator, Static

from tui.data import open_engine
from tui.widgets.secret_input import SecretInput
from vault import session
from vault.errors import CofferError, WrongPassphrase


class Unlocked(Message):
    """The vault is open."""

    def __init__(self, vault: session.Vault, recovery_key: str | None = None) -> None:
        super().__init__()
        self.vault = vault
        self.recovery_key = recovery_key
        # DuckDB and the main screen's modules take a moment to set up: done here, in the unlock
        # worker, not on the UI thread.
        self.engine = open_engine(vault.store)
        importlib.import_module("tui.screens.main")
        importlib.import_module("tui.panes.overview")


class UnlockScreen(Screen[None]):
    """The first screen, and the one auto-lock returns to."""

    BINDINGS: ClassVar[list[BindingType]] = [("ctrl+r", "toggle_recovery", "Use the recovery key")]

    def __init__(self, vault_path: Path, credentials: session.Credentials, *, automatic: bool = True) -> None:
        """`automatic`: try a given passphrase or this machine's keyring first (only when the app
        starts: after a lock, the person must type the passphrase again)."""
        super().__init__()
        self.vault_path = vault_path
        self.credentials = credentials
        self.automatic = automatic
        self.creating = not vault_path.exists()
        self.recovery_mode = False

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="unlock-box"):
            yield Static("Coffer", id="unlock-title")
            yield Label(str(self.vault_path), id="unlock-path")
            if self.creating:
                yield Label("No vault here yet. Choose a passphrase to create one.", id="unlock-hint")
                yield SecretInput(placeholder="New passphrase (8 characters or more)", id="passphrase")
                yield SecretInput(placeholder="The same passphrase again", id="confirm")
            else:
                yield Label("Passphrase", id="unlock-hint")
                yield SecretInput(placeholder="Passphrase", id="passphrase")
            yield Label("", id="unlock-error")
            yield LoadingIndicator(id="unlock-spinner")
            yield Button("Create vault" if self.creating else "Unlock", variant="primary", id="unlock-button")
            if not self.creating:
                yield Label("ctrl+r: unlock with the recovery key instead", id="unlock-recovery-hint")

    def on_mount(self) -> None:
        self.query_one("#unlock-spinner").display = False
        self.query_one("#passphrase", SecretInput).focus()
        if not self.automatic or self.creating:
            return
        given, self.credentials.passphrase = self.credentials.passphrase, None  # used once
        if given is not None:
            self._busy(True)
            self.open_vault(given)
        elif self.credentials.device_secret is not None:
            self._busy(True)
            self.try_keyring()

    def action_toggle_recovery(self) -> None:
        if self.creating:
            return
        self.recovery_mode = not self.recovery_mode
        field = self.query_one("#passphrase", SecretInput)
        field.wipe()
        field.placeholder = "Recovery key (XXXX-XXXX-...)" if self.recovery_mode else "Passphrase"
        self.query_one("#unlock-hint", Label).update("Recovery key" if self.recovery_mode else "Passphrase")

    @on(SecretInput.Submitted)
    @on(Button.Pressed, "#unlock-button")
    def submit(self) -> None:
        secret = self.query_one("#passphrase", SecretInput).value
        if self.creating:
            confirm = self.query_one("#confirm", SecretInput).value
            if secret != confirm:
                self._error("The two passphrases differ.")
                return
            if len(secret) < session.MIN_PASSPHRASE_LENGTH:
                self._error(f"Use at least {session.MIN_PASSPHRASE_LENGTH} characters.")
                return
        if not secret:
            return
        self._busy(True)
        self.open_vault(secret)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def open_vault(self, secret: str) -> None:
        try:
            if self.creating:
                vault, recovery = session.create(self.vault_path, secret)
                self.post_message(Unlocked(vault, recovery))
                return
            credentials = (
                session.Credentials(recovery_key=secret)
                if self.recovery_mode
                else session.Credentials(passphrase=secret)
            )
            self.post_message(Unlocked(session.unlock(self.vault_path, credentials)))
        except WrongPassphrase as exc:
            self.app.call_from_thread(self._error, str(exc).capitalize() + ".")
        except CofferError as exc:
            self.app.call_from_thread(self._error, str(exc))

    @work(thread=True, exclusive=True, exit_on_error=False)
    def try_keyring(self) -> None:
        credentials = session.Credentials(device_secret=self.credentials.device_secret)
        try:
            self.post_message(Unlocked(session.unlock(self.vault_path, credentials)))
        except CofferError:
            self.app.call_from_thread(self._busy, False)

    def _busy(self, busy: bool) -> None:
        self.query_one("#unlock-spinner").display = busy
        self.query_one("#unlock-button").disabled = busy

    def _error(self, message: str) -> None:
        self._busy(False)
        self.query_one("#unlock-error", Label).update(message)
        field = self.query_one("#passphrase", SecretInput)
        field.wipe()
        field.focus()
