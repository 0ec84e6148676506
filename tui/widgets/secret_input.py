"""A masked input whose content never reaches the clipboard."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


class SecretInput(Input):
    """A password field: masked, no copy, no cut, nothing selected on focus."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("password", True)
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def action_copy(self) -> None:
        """Copying a secret is refused."""

    def action_cut(self) -> None:
        """Cutting a secret is refused."""

    def wipe(self) -> None:
        self.value = ""
