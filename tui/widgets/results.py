"""An Arrow table shown in textual-fastdatatable, replaced whole when new results arrive."""

from __future__ import annotations

import pyarrow as pa
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_fastdatatable import ArrowBackend, DataTable

MAX_SHOWN_ROWS = 1_000_000


class ResultsView(Vertical):
    """A status line and the rows; the table is remounted for each result (fastdatatable cannot clear)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="results")
        self.data: pa.Table | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="results-status muted")

    def show_table(self, data: pa.Table, status: str = "") -> DataTable:
        """Replace the shown rows with `data`."""
        self.data = data
        for old in self.query(DataTable):
            old.remove()
        shown = (
            f"{data.num_rows:,} rows"
            if data.num_rows <= MAX_SHOWN_ROWS
            else (f"first {MAX_SHOWN_ROWS:,} of {data.num_rows:,} rows")
        )
        self.set_status(f"{shown}{'  ' + status if status else ''}")
        table = DataTable(
            backend=ArrowBackend(data, max_rows=MAX_SHOWN_ROWS),
            max_column_content_width=60,
            render_markup=False,
            cursor_type="cell",
        )
        self.mount(table)
        return table

    def set_status(self, text: str) -> None:
        self.query_one(".results-status", Static).update(text)

    def clear_rows(self) -> None:
        self.data = None
        for old in self.query(DataTable):
            old.remove()
