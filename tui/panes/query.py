"""Query: an SQL editor, its history (kept in the vault), a cancellable run, and the results table."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pyarrow as pa
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tui.data import QueryError, record_history
from tui.panes.base import Pane, error_text
from tui.widgets.code import code_editor
from tui.widgets.results import ResultsView

DEFAULT_SQL = "SELECT platform, count(*) AS messages FROM messages GROUP BY platform ORDER BY messages DESC"
RESULT_LIMIT = 1_000_000
HISTORY_SHOWN = 50


class QueryPane(Pane):
    """SQL against the vault's tables, read-only and sandboxed by the engine."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "run", "Run query", priority=True),
        Binding("ctrl+n", "new_query", "New query", priority=True),
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("ctrl+s", "save", "Save results"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="query-top"):
            yield code_editor(DEFAULT_SQL, "sql", id="query-editor")
            with Vertical(id="query-history-box"):
                yield Label("History", classes="pane-title")
                yield OptionList(id="query-history")
        yield Static(
            "ctrl+r run   ctrl+n new   esc cancel   ctrl+s save results", id="query-error", classes="muted"
        )
        yield ResultsView(id="query-results")

    def load(self) -> None:
        self.refresh_history()

    def focus_first(self) -> None:
        self.query_one("#query-editor", TextArea).focus()

    def refresh_history(self) -> None:
        rows = self.vault.store.rows(
            "SELECT sql FROM query_history GROUP BY sql ORDER BY max(id) DESC LIMIT ?", (HISTORY_SHOWN,)
        )
        history = self.query_one("#query-history", OptionList)
        history.clear_options()
        history.add_options([Option(" ".join(str(sql).split())[:80]) for (sql,) in rows])
        self.history_sql = [str(sql) for (sql,) in rows]

    @on(OptionList.OptionSelected, "#query-history")
    def recall(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#query-editor", TextArea).text = self.history_sql[event.option_index]

    def action_new_query(self) -> None:
        """An empty editor, for the next query."""
        editor = self.query_one("#query-editor", TextArea)
        editor.text = ""
        editor.focus()

    def action_run(self) -> None:
        sql = self.query_one("#query-editor", TextArea).text.strip()
        if not sql or self.engine is None:
            return
        self.show_message("Running…  (esc cancels)", error=False)
        self.run_sql(sql)

    def action_cancel(self) -> None:
        if self.engine is not None and any(w.is_running for w in self.workers if w.group == "query"):
            self.engine.interrupt()
            self.workers.cancel_group(self, "query")
            self.show_message("Cancelled.", error=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="query")
    def run_sql(self, sql: str) -> None:
        started = self.stopwatch()
        error: str | None = None
        result: pa.Table | None = None
        try:
            result = self.engine.query(sql, limit=RESULT_LIMIT)
        except QueryError as exc:
            error = str(exc)
        elapsed = int((self.stopwatch() - started) * 1000)
        record_history(self.vault.store, sql, elapsed, None if result is None else result.num_rows, error)
        self.app.call_from_thread(self.finished, result, error, elapsed)

    def finished(self, result: pa.Table | None, error: str | None, elapsed_ms: int) -> None:
        self.refresh_history()
        if error is not None or result is None:
            self.show_message(error or "No result.", error=True)
            return
        self.show_message(f"Done in {elapsed_ms:,} ms.", error=False)
        self.query_one("#query-results", ResultsView).show_table(result)

    def show_message(self, text: str, *, error: bool) -> None:
        line = self.query_one("#query-error", Static)
        line.update(text)
        line.set_class(error, "error-line")
        line.set_class(not error, "muted")

    def action_save(self) -> None:
        data = self.query_one("#query-results", ResultsView).data
        if data is None:
            self.show_message("Run a query first: there is nothing to save.", error=True)
            return
        from tui.screens.dialogs import PathDialog

        self.app.push_screen(
            PathDialog("Save results as CSV or Parquet", "results.csv"), lambda path: self.save_to(data, path)
        )

    def save_to(self, data: pa.Table, path: str | None) -> None:
        if path:
            self.write_results(data, Path(path).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def write_results(self, data: pa.Table, out: Path) -> None:
        from vault.export import slice_bytes
        from vault.fsutil import atomic_write

        atomic_write(out, slice_bytes(data, "parquet" if out.suffix == ".parquet" else "csv"))
        self.app.call_from_thread(self.show_message, f"Saved {data.num_rows:,} rows to {out}.", error=False)

    def worker_failed(self, error: BaseException | None) -> None:
        self.show_message(error_text(error), error=True)
