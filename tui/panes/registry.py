"""The places of the sidebar, in order: id, title, `g` key, and the pane's factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widget import Widget


def _lazy(module: str, name: str) -> Callable[..., Widget]:
    def build(**kwargs: Any) -> Widget:
        import importlib

        cls = getattr(importlib.import_module(f"tui.panes.{module}"), name)
        widget: Widget = cls(**kwargs)
        return widget

    return build


PANES: list[tuple[str, str, str, Callable[..., Widget]]] = [
    ("overview", "Overview", "o", _lazy("overview", "OverviewPane")),
    ("browse", "Browse", "b", _lazy("browse", "BrowsePane")),
    ("map", "Map", "m", _lazy("map", "MapPane")),
    ("query", "Query", "q", _lazy("query", "QueryPane")),
    ("import", "Import", "i", _lazy("import_files", "ImportPane")),
    ("share", "Share", "s", _lazy("share", "SharePane")),
    ("ledger", "Ledger", "l", _lazy("ledger", "LedgerPane")),
    ("settings", "Settings", "t", _lazy("settings", "SettingsPane")),
]


def build(pane_id: str) -> Widget:
    """A new pane for the place `pane_id`."""
    factory = next(factory for place, _, _, factory in PANES if place == pane_id)
    return factory(id=pane_id)
