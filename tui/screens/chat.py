"""One conversation read like a chat: day separators, who said what, the owner's messages on the right."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

CHAT_LIMIT = 2000
CHAT_WIDTH = 100


def chat_rows(engine: Any, conversation_id: int) -> tuple[str, list[dict[str, Any]]]:
    """The conversation's title and its last messages, oldest first."""
    title = engine.internal(
        "SELECT coalesce(title, 'conversation ' || id::VARCHAR) AS t FROM conversations WHERE id = ?",
        [conversation_id],
    ).to_pylist()
    rows = engine.internal(
        "SELECT * FROM (SELECT m.ts, m.text, m.kind, coalesce(p.display_name, 'unknown') AS sender, "
        "coalesce(p.is_self, 0) AS mine FROM messages m LEFT JOIN people p ON p.id = m.sender_id "
        "WHERE m.conversation_id = ? ORDER BY m.ts DESC LIMIT ?) ORDER BY ts",
        [conversation_id, CHAT_LIMIT],
    ).to_pylist()
    return (title[0]["t"] if title else f"conversation {conversation_id}"), rows


def render_chat(rows: list[dict[str, Any]], width: int = CHAT_WIDTH) -> Text:
    text = Text()
    day = None
    for row in rows:
        stamp = row["ts"]
        if stamp.date() != day:
            day = stamp.date()
            text.append(f"\n{'── ' + day.isoformat() + ' ──':^{width}}\n", style="dim")
        body = row["text"] if row["text"] else f"[{row['kind']}]"
        line = f"{stamp:%H:%M}  {row['sender']}: {body}"
        if row["mine"]:
            text.append(f"{line:>{width}}\n", style="green")
        else:
            text.append(f"{line}\n")
    return text


class ChatScreen(Screen[None]):
    """A conversation as its people saw it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(self, conversation_id: int) -> None:
        super().__init__()
        self.conversation_id = conversation_id

    def compose(self) -> ComposeResult:
        yield Label("Loading…", id="chat-title", classes="pane-title")
        with VerticalScroll(id="chat-scroll"):
            yield Static("", id="chat-body")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        app: Any = self.app
        title, rows = chat_rows(app.engine, self.conversation_id)
        self.app.call_from_thread(self.show, title, rows)

    def show(self, title: str, rows: list[dict[str, Any]]) -> None:
        self.query_one("#chat-title", Label).update(f"{title}  ({len(rows):,} messages shown)")
        self.query_one("#chat-body", Static).update(render_chat(rows))
        self.query_one("#chat-scroll", VerticalScroll).scroll_end(animate=False)
