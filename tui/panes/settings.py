"""Settings, kept in the vault: auto-lock minutes, this machine's keyring, the passphrase."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Static

from tui.data import get_setting, set_setting
from tui.panes.base import Pane
from tui.widgets.secret_input import SecretInput


class SettingsPane(Pane):
    """What the owner can change without leaving the app."""

    def compose(self) -> ComposeResult:
        yield Label("Auto-lock after idle minutes", classes="pane-title")
        with Horizontal(classes="settings-row"):
            yield Input(id="settings-auto-lock", type="number")
            yield Button("Save", id="settings-save-lock")
        yield Label("This machine's keyring", classes="pane-title")
        with Horizontal(classes="settings-row"):
            yield Button("Remember this vault here", id="settings-remember")
            yield Button("Forget it here", id="settings-forget")
        yield Label("Change the passphrase (instant: the data key is re-wrapped)", classes="pane-title")
        with Horizontal(classes="settings-row"):
            yield SecretInput(placeholder="New passphrase", id="settings-new")
            yield SecretInput(placeholder="Again", id="settings-confirm")
            yield Button("Change", id="settings-passwd")
        yield Static("", id="settings-status")

    def load(self) -> None:
        app: Any = self.app
        self.query_one("#settings-auto-lock", Input).value = get_setting(
            self.vault.store, "auto_lock_minutes", f"{app.auto_lock_minutes:g}"
        )

    def say(self, text: str, error: bool = False) -> None:
        status = self.query_one("#settings-status", Static)
        status.update(text)
        status.set_class(error, "error-line")

    @on(Button.Pressed, "#settings-save-lock")
    @on(Input.Submitted, "#settings-auto-lock")
    def save_auto_lock(self) -> None:
        raw = self.query_one("#settings-auto-lock", Input).value.strip()
        try:
            minutes = float(raw)
        except ValueError:
            minutes = 0.0
        if not 0.5 <= minutes <= 240:
            self.say("Auto-lock must be between 0.5 and 240 minutes.", True)
            return
        set_setting(self.vault.store, "auto_lock_minutes", f"{minutes:g}")
        app: Any = self.app
        if app.fixed_auto_lock is None:
            app.auto_lock_minutes = minutes
        self.say(f"The vault now locks after {minutes:g} idle minutes.")

    @on(Button.Pressed, "#settings-remember")
    def remember(self) -> None:
        self.keyring_change(True)

    @on(Button.Pressed, "#settings-forget")
    def forget(self) -> None:
        self.keyring_change(False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings")
    def keyring_change(self, remember: bool) -> None:
        from vault import devices

        vault = self.vault
        if remember:
            vault.save_header(devices.remember(vault.header, vault.data_key))
            message = "This machine's keyring now opens the vault."
        else:
            header, removed = devices.forget(vault.header)
            vault.save_header(header)
            message = "Forgotten on this machine." if removed else "This machine did not remember the vault."
        self.app.call_from_thread(self.say, message)

    @on(Button.Pressed, "#settings-passwd")
    def change_passphrase(self) -> None:
        from vault.session import MIN_PASSPHRASE_LENGTH

        new = self.query_one("#settings-new", SecretInput)
        again = self.query_one("#settings-confirm", SecretInput)
        secret, confirm = new.value, again.value
        new.wipe()
        again.wipe()
        if secret != confirm:
            self.say("The two passphrases differ.", True)
        elif len(secret) < MIN_PASSPHRASE_LENGTH:
            self.say(f"Use at least {MIN_PASSPHRASE_LENGTH} characters.", True)
        else:
            self.say("Changing the passphrase…")
            self.rewrap(secret)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings")
    def rewrap(self, secret: str) -> None:
        from vault import keys

        vault = self.vault
        vault.save_header(keys.add_passphrase_slot(vault.header, vault.data_key, secret, keys.DEFAULT_KDF))
        self.app.call_from_thread(self.say, "Passphrase changed.")

    def worker_failed(self, error: BaseException | None) -> None:
        from tui.panes.base import error_text

        self.say(error_text(error), True)
