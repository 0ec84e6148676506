"""Browse: any table in an Arrow-backed grid, with a filter, sorting, full-text search and a chat view."""

from __future__ import annotations

from typing import Any, ClassVar

import pyarrow as pa
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual_fastdatatable import DataTable

from tui.data import QueryError
from tui.panes.base import Pane
from tui.widgets.results import ResultsView

SEARCH_LIMIT = 500


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def browse_sql(table: str, where: str, order: tuple[str, bool] | None) -> str:
    """The statement behind the grid: the user's filter is user SQL, run in the engine's sandbox."""
    sql = f"SELECT * FROM {quote(table)}"
    if where.strip():
        sql += f" WHERE {where}"
    if order is not None:
        sql += f" ORDER BY {quote(order[0])} {'DESC' if order[1] else 'ASC'} NULLS LAST"
    return sql


def search_rows(engine: Any, text: str) -> pa.Table:
    """Full-text hits over messages and posts, best first (the engine's FTS index)."""
    return engine.search(text, SEARCH_LIMIT)


class BrowsePane(Pane):
    """Tables on the left, rows on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search"),
        Binding("f", "filter", "Filter"),
        Binding("s", "sort", "Sort by column"),
        Binding("c", "chat", "Open as chat"),
    ]

    current: str | None = None
    order: tuple[str, bool] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="browse-side"):
                yield Label("Tables", classes="pane-title")
                yield OptionList(id="browse-tables")
            with Vertical(id="browse-main"):
                yield Input(placeholder="/ search messages and posts", id="browse-search")
                yield Input(
                    placeholder="f filter: a condition, e.g. platform = 'whatsapp'", id="browse-filter"
                )
                yield ResultsView(id="browse-results")

    def load(self) -> None:
        self.list_tables()

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse-tables")
    def list_tables(self) -> None:
        tables = self.engine.tables()
        self.app.call_from_thread(self.show_tables, [(t.name, int(t.rows)) for t in tables])

    def show_tables(self, tables: list[tuple[str, int]]) -> None:
        self.table_names = [name for name, _ in tables]
        options = self.query_one("#browse-tables", OptionList)
        options.clear_options()
        options.add_options([Option(f"{name:<21}{rows:>9,}") for name, rows in tables])

    def focus_first(self) -> None:
        self.query_one("#browse-tables", OptionList).focus()

    @on(OptionList.OptionSelected, "#browse-tables")
    def table_chosen(self, event: OptionList.OptionSelected) -> None:
        self.open_table(self.table_names[event.option_index])

    def open_table(self, name: str) -> None:
        """Show `name` unfiltered and unsorted."""
        self.current, self.order = name, None
        self.query_one("#browse-filter", Input).value = ""
        self.reload()

    def reload(self) -> None:
        if self.current is None:
            return
        where = self.query_one("#browse-filter", Input).value
        self.query_one("#browse-results", ResultsView).set_status(f"Loading {self.current}…")
        self.fetch(self.current, where, self.order)

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse")
    def fetch(self, table: str, where: str, order: tuple[str, bool] | None) -> None:
        try:
            data = (
                self.engine.table(table)
                if not where.strip() and order is None
                else self.engine.query(browse_sql(table, where, order))
            )
        except QueryError as exc:
            self.app.call_from_thread(self.query_one("#browse-results", ResultsView).set_status, str(exc))
            return
        self.app.call_from_thread(self.show_rows, table, data)

    def show_rows(self, table: str, data: pa.Table) -> None:
        sort = f"  sorted by {self.order[0]}{' desc' if self.order[1] else ''}" if self.order else ""
        self.query_one("#browse-results", ResultsView).show_table(data, f"in {table}{sort}")

    @on(Input.Submitted, "#browse-filter")
    def filter_submitted(self) -> None:
        self.reload()

    @on(Input.Submitted, "#browse-search")
    def search_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.current = None
            self.query_one("#browse-results", ResultsView).set_status("Searching…")
            self.run_search(event.value.strip())

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse")
    def run_search(self, text: str) -> None:
        hits = search_rows(self.engine, text)
        self.app.call_from_thread(
            self.query_one("#browse-results", ResultsView).show_table, hits, f"matching {text!r}"
        )

    def action_search(self) -> None:
        self.query_one("#browse-search", Input).focus()

    def action_filter(self) -> None:
        self.query_one("#browse-filter", Input).focus()

    def action_sort(self) -> None:
        tables = self.query(DataTable)
        if self.current is None or not tables:
            return
        grid = tables.first()
        column = grid.ordered_columns[grid.cursor_column].label.plain
        descending = self.order is not None and self.order[0] == column and not self.order[1]
        self.order = (column, descending)
        self.reload()

    def action_chat(self) -> None:
        """Open the conversation under the cursor (in conversations or messages) as a chat."""
        tables = self.query(DataTable)
        results = self.query_one("#browse-results", ResultsView)
        if self.current not in ("conversations", "messages") or not tables or results.data is None:
            return
        row = tables.first().cursor_row
        column = "id" if self.current == "conversations" else "conversation_id"
        conversation = results.data.column(column)[row].as_py()
        from tui.screens.chat import ChatScreen

        self.app.push_screen(ChatScreen(int(conversation)))
