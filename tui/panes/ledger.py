"""Ledger: every export that left the vault, for whom, under which policy, and how bad it was."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from textual import work
from textual.app import ComposeResult
from textual.widgets import Label

from tui.panes.base import Pane
from tui.widgets.results import ResultsView


def ledger_rows(store: Any) -> pa.Table:
    """The contributions, newest first (the full reports stay in the vault)."""
    rows = store.rows(
        "SELECT id, strftime('%Y-%m-%d %H:%M', created_at / 1000, 'unixepoch'), recipient, policy_name, "
        "file_name, rows, columns, worst_severity, substr(sha256, 1, 16) FROM contributions ORDER BY id DESC"
    )
    names = ["id", "when (UTC)", "recipient", "policy", "file", "rows", "columns", "worst", "sha256"]
    return pa.table(
        {
            name: pa.array([r[i] for r in rows], pa.string() if i not in (0, 5, 6) else pa.int64())
            for i, name in enumerate(names)
        }
    )


class LedgerPane(Pane):
    """The contributions ledger."""

    def compose(self) -> ComposeResult:
        yield Label("Contributions: what left the vault", classes="pane-title")
        yield ResultsView(id="ledger-results")

    def load(self) -> None:
        self.fetch()

    @work(thread=True, exclusive=True, exit_on_error=False, group="ledger")
    def fetch(self) -> None:
        data = ledger_rows(self.vault.store)
        self.app.call_from_thread(self.show, data)

    def show(self, data: pa.Table) -> None:
        status = "nothing has left the vault yet" if data.num_rows == 0 else "newest first"
        self.query_one("#ledger-results", ResultsView).show_table(data, status)
