"""Share: edit a policy, see the anonymized preview and what it reveals update live, save, export."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Label, Select, Static, TextArea

from tui.panes.base import Pane, error_text
from tui.widgets.code import code_editor
from tui.widgets.operator_picker import OperatorPicker
from tui.widgets.results import ResultsView

PREVIEW_ROWS = 200
DEBOUNCE_S = 0.5
SHAREABLE = (
    "messages",
    "posts",
    "locations",
    "visits",
    "trips",
    "interactions",
    "profile_facts",
    "people",
    "conversations",
)
SEVERITY_STYLE = {"high": "bold red", "medium": "bold yellow", "low": "green"}


def starting_policy(engine: Any, dataset: str) -> str:
    """The commented policy `coffer policy new` would print, with a recipient filled in."""
    from vault.policy_template import render

    text = render(dataset, [(c.name, c.type) for c in engine.columns(dataset)])
    return text.replace('recipient = "CHANGE-ME"', 'recipient = "study-1"', 1)


def findings_text(report: Any) -> Text:
    """The findings, worst first, severity in words and colour, each with its yardstick and remedy."""
    text = Text()
    worst = report.worst_severity.value
    text.append(f"Worst: {worst.upper()}   {report_rows(report)}\n\n", style=SEVERITY_STYLE[worst])
    for finding in report.sorted_findings():
        level = finding.severity.value
        text.append(f"{level.upper():<7}", style=SEVERITY_STYLE[level])
        text.append(finding.title)
        if finding.yardstick:
            text.append(f"  ({finding.yardstick})", style="dim")
        text.append("\n")
        if finding.suggestion:
            text.append(f"       -> {finding.suggestion}\n", style="dim")
    return text


def report_rows(report: Any) -> str:
    before = getattr(report, "rows_before", None)
    after = getattr(report, "rows_after", None)
    return (
        f"{after:,} rows leave (of {before:,})" if isinstance(before, int) and isinstance(after, int) else ""
    )


class SharePane(Pane):
    """The share builder: policy on the left, preview and findings on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save_policy", "Save policy"),
        Binding("ctrl+o", "write_policy", "Policy to file"),
        Binding("ctrl+e", "export", "Export…"),
    ]

    debounce: Timer | None = None
    preview: Any = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="share-top"):
            yield Label("Dataset", classes="pane-title")
            yield Select(
                [(name, name) for name in SHAREABLE], value="messages", allow_blank=False, id="share-dataset"
            )
            yield Static("", id="share-status", classes="muted")
        yield OperatorPicker(id="share-picker")
        with Horizontal(id="share-body"):
            yield code_editor("", "toml", id="share-policy")
            with Vertical(id="share-right"):
                yield ResultsView(id="share-preview")
                with VerticalScroll(id="share-findings-box"):
                    yield Static("", id="share-findings")

    def load(self) -> None:
        self.new_policy("messages")

    def focus_first(self) -> None:
        self.query_one("#share-policy", TextArea).focus()

    @on(Select.Changed, "#share-dataset")
    def dataset_changed(self, event: Select.Changed) -> None:
        if self.loaded and isinstance(event.value, str):
            self.new_policy(event.value)

    def restart_policy(self) -> None:
        """Start over from the chosen dataset's commented template."""
        dataset = self.query_one("#share-dataset", Select).value
        self.new_policy(dataset if isinstance(dataset, str) else "messages")

    @work(thread=True, exclusive=True, exit_on_error=False, group="share-template")
    def new_policy(self, dataset: str) -> None:
        text = starting_policy(self.engine, dataset)
        columns = [(c.name, c.type) for c in self.engine.columns(dataset)]
        self.app.call_from_thread(self.set_policy_text, text, columns)

    def set_policy_text(self, text: str, columns: list[tuple[str, str]]) -> None:
        self.query_one("#share-picker", OperatorPicker).set_columns(columns)
        self.query_one("#share-policy", TextArea).text = text
        self.policy_edited()

    @on(TextArea.Changed, "#share-policy")
    def policy_edited(self) -> None:
        self.query_one("#share-picker", OperatorPicker).show_policy(
            self.query_one("#share-policy", TextArea).text
        )
        self.schedule_preview()

    @on(OperatorPicker.Chosen)
    def operator_chosen(self, event: OperatorPicker.Chosen) -> None:
        from tui.widgets.operator_picker import with_operator
        from vault.policy import PolicyError

        editor = self.query_one("#share-policy", TextArea)
        try:
            editor.text = with_operator(editor.text, event.column, event.operator)
            self.policy_edited()
        except PolicyError as exc:
            self.set_status(f"Fix the policy text first: {exc}", True)

    def schedule_preview(self) -> None:
        if self.debounce is not None:
            self.debounce.stop()
        self.debounce = self.set_timer(DEBOUNCE_S, self.start_preview)

    def start_preview(self) -> None:
        self.debounce = None
        text = self.query_one("#share-policy", TextArea).text
        if text.strip() and self.engine is not None:
            self.set_status("Computing preview and findings…")
            self.compute_preview(text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="share-preview")
    def compute_preview(self, text: str) -> None:
        from vault.policy import PolicyError, load_policy
        from vault.share import dataset_columns, preview

        started = self.stopwatch()
        try:
            draft = load_policy(text, source="share screen")
            policy = load_policy(
                text, available_columns=dataset_columns(self.engine, draft), source="share screen"
            )
            result = preview(self.vault, self.engine, policy)
        except PolicyError as exc:
            self.app.call_from_thread(self.set_status, str(exc), True)
            return
        elapsed = int((self.stopwatch() - started) * 1000)
        self.app.call_from_thread(self.show_preview, result, elapsed)

    def show_preview(self, result: Any, elapsed_ms: int) -> None:
        self.preview = result
        shown = result.after.slice(0, PREVIEW_ROWS)
        self.query_one("#share-preview", ResultsView).show_table(
            shown, f"what leaves: {result.after.num_rows:,} rows (of {result.before.num_rows:,} selected)"
        )
        self.query_one("#share-findings", Static).update(findings_text(result.report))
        worst = result.report.worst_severity.value
        self.set_status(
            f"policy {result.policy.name!r} for {result.policy.recipient!r}: worst finding "
            f"{worst.upper()} ({elapsed_ms:,} ms)"
        )

    def set_status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#share-status", Static)
        status.update(text)
        status.set_class(error, "error-line")

    def action_save_policy(self) -> None:
        if self.preview is None:
            self.set_status("Fix the policy first: only a valid policy is saved.", True)
            return
        policy = self.preview.policy
        now = int(time.time() * 1000)
        with self.vault.store.transaction() as conn:
            conn.execute(
                "INSERT INTO policies(name, toml, created_at, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET toml = excluded.toml, updated_at = excluded.updated_at",
                (policy.name, self.query_one("#share-policy", TextArea).text, now, now),
            )
        self.set_status(f"Saved policy {policy.name!r} in the vault.")

    def action_write_policy(self) -> None:
        from tui.screens.dialogs import PathDialog

        self.app.push_screen(PathDialog("Write the policy to a file", "share.toml"), self.write_policy_to)

    def write_policy_to(self, path: str | None) -> None:
        if path:
            from vault.fsutil import atomic_write

            target = Path(path).expanduser()
            atomic_write(target, self.query_one("#share-policy", TextArea).text.encode("utf-8"))
            self.set_status(f"Wrote the policy to {target}.")

    def action_export(self) -> None:
        from tui.screens.dialogs import PathDialog

        if self.preview is None:
            self.set_status("Fix the policy first: there is nothing to export.", True)
            return
        self.app.push_screen(
            PathDialog("Export the slice to (CSV or .parquet)", "slice.csv"), self.confirm_export
        )

    def confirm_export(self, path: str | None) -> None:
        from tui.screens.dialogs import ConfirmDialog

        if not path or self.preview is None:
            return
        share = self.preview
        worst = share.report.worst_severity.value
        text = (
            f"{share.after.num_rows:,} rows and {share.after.num_columns} columns will leave the vault for "
            f"{share.policy.recipient!r}.\nThe worst finding is {worst.upper()}: what this slice "
            f"reveals is {_severity_words(worst)}.\nThe full report stays in the vault's ledger."
        )
        out = Path(path).expanduser()
        self.app.push_screen(
            ConfirmDialog("Export?", text, yes=f"Export ({worst.upper()})"),
            lambda yes: self.export_confirmed(share, out, yes),
        )

    def export_confirmed(self, share: Any, out: Path, yes: bool | None) -> None:
        if yes:
            self.run_export(share, out)

    @work(thread=True, exclusive=True, exit_on_error=False, group="share-export")
    def run_export(self, share: Any, out: Path) -> None:
        from vault.export import write_export

        result = write_export(self.vault.store, share, out, "parquet" if out.suffix == ".parquet" else "csv")
        self.app.call_from_thread(self.exported, result)

    def exported(self, result: Any) -> None:
        self.set_status(
            f"Exported {result.rows:,} rows to {result.path} (ledger entry {result.contribution_id})."
        )
        for ledger in self.screen.query("#ledger").results(Pane):
            ledger.loaded = False

    def worker_failed(self, error: BaseException | None) -> None:
        self.set_status(error_text(error), True)


def _severity_words(worst: str) -> str:
    return {
        "high": "HIGH: someone could single you out or learn something sensitive",
        "medium": "MEDIUM: some inference or linkage is possible",
        "low": "LOW: little beyond what the policy intends",
    }[worst]
