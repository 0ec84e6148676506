"""Import: pick files or folders, watch a progress bar per file, then read what was accounted for."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DirectoryTree, Input, Label, ProgressBar, Static

from tui.panes.base import Pane
from vault.ingest import FileResult, ImportReport


class PaneProgress:
    """The ingest Progress protocol, forwarded to the pane on the UI thread."""

    def __init__(self, pane: ImportPane) -> None:
        self.pane = pane

    def file_started(self, name: str, size: int) -> None:
        self.pane.app.call_from_thread(self.pane.file_started, name, size)

    def advanced(self, done_bytes: int) -> None:
        self.pane.app.call_from_thread(self.pane.file_advanced, done_bytes)

    def file_finished(self, result: FileResult) -> None:
        self.pane.app.call_from_thread(self.pane.file_finished, result)


class ImportPane(Pane):
    """Export files in, every one accounted for."""

    def __init__(self, *, id: str | None = None, start: Path | None = None) -> None:
        super().__init__(id=id)
        self.start = start
        self.bar: ProgressBar | None = None
        self.bars = 0
        self.chosen: list[Path] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="import-top"):
            yield Vertical(id="import-tree-box")
            with Vertical(id="import-side"):
                yield Label("Files or folders to import (one per line via the tree, or type a path)")
                yield Input(placeholder="path to an export file, folder or zip", id="import-path")
                yield Static("", id="import-chosen")
                yield Button("Import", variant="primary", id="import-run")
        with VerticalScroll(id="import-progress"):
            yield Static("", id="import-report")

    def load(self) -> None:
        if not self.query("#import-tree"):
            start = self.start or getattr(self.app, "import_start", None) or Path.home()
            self.query_one("#import-tree-box", Vertical).mount(DirectoryTree(start, id="import-tree"))

    def focus_first(self) -> None:
        self.query_one("#import-path", Input).focus()

    def choose(self, path: Path) -> None:
        if path not in self.chosen:
            self.chosen.append(path)
        self.query_one("#import-chosen", Static).update("\n".join(str(p) for p in self.chosen))

    @on(DirectoryTree.FileSelected)
    @on(DirectoryTree.DirectorySelected)
    def tree_chosen(self, event: DirectoryTree.FileSelected | DirectoryTree.DirectorySelected) -> None:
        self.choose(event.path)

    @on(Input.Submitted, "#import-path")
    def path_typed(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if not path.exists():
            self.query_one("#import-report", Static).update(f"No such file or folder: {path}")
            return
        event.input.value = ""
        self.choose(path)

    @on(Button.Pressed, "#import-run")
    def start_import(self) -> None:
        paths = self.chosen
        if not paths:
            self.query_one("#import-report", Static).update("Choose at least one file or folder first.")
            return
        from vault.share import local_zone

        self.query_one("#import-run", Button).disabled = True
        self.query_one("#import-report", Static).update("Importing…")
        self.run_import(paths, ZoneInfo(local_zone(self.vault)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def run_import(self, paths: list[Path], zone: ZoneInfo) -> None:
        import importers
        from vault import ingest
        from vault.records import ImportOptions

        report = ingest.run(
            self.vault.store, importers.discover(paths), PaneProgress(self), ImportOptions(tz=zone)
        )
        self.app.call_from_thread(self.finished, report)

    def file_started(self, name: str, size: int) -> None:
        self.bars += 1
        self.bar = ProgressBar(total=max(size, 1), show_eta=False, id=f"import-bar-{self.bars}")
        box = self.query_one("#import-progress", VerticalScroll)
        box.mount(Label(name, classes="import-file"), before="#import-report")
        box.mount(self.bar, before="#import-report")

    def file_advanced(self, done_bytes: int) -> None:
        if self.bar is not None:
            self.bar.update(progress=done_bytes)

    def file_finished(self, result: FileResult) -> None:
        if self.bar is not None and result.status != "unrecognised":
            self.bar.update(progress=self.bar.total or 1)
        self.bar = None

    def finished(self, report: ImportReport) -> None:
        from vault.commands.importcmds import report_lines

        self.query_one("#import-run", Button).disabled = False
        self.chosen = []
        self.query_one("#import-chosen", Static).update("")
        self.query_one("#import-report", Static).update("\n".join(report_lines(report)))
        app: Any = self.app
        app.data_changed()

    def worker_failed(self, error: BaseException | None) -> None:
        self.query_one("#import-run", Button).disabled = False
        super().worker_failed(error)
