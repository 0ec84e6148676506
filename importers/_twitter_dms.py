"""X direct messages (`direct-messages.js`, `direct-messages-group.js`): one element per thread."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from importers._social_common import SELF_KEY, iso_ms, text_of
from vault.records import Attachment, Conversation, Invalid, Message, Person, Reaction, Record, Unrecognized

_MEMBER_EVENTS = {
    "participantsJoin": "added participants",
    "participantsLeave": "left the conversation",
    "joinConversation": "joined the conversation",
}


class DmState:
    """People already yielded in this file, and which account id is the owner's."""

    def __init__(self, owner_id: str | None) -> None:
        self.owner_id = owner_id
        self.people: set[str] = set()
        self.unknown: set[str] = set()

    def key(self, account_id: Any) -> str | None:
        """The person key of an account id (`self` for the owner)."""
        text = text_of(account_id)
        if text is None:
            return None
        return SELF_KEY if text == self.owner_id else text


def _events(thread: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for event in thread.get("messages") or []:
        if isinstance(event, dict):
            found.extend((kind, body) for kind, body in event.items() if isinstance(body, dict))
    return found


def _members(thread_id: str, events: list[tuple[str, dict[str, Any]]], state: DmState) -> list[str]:
    members: dict[str, None] = {}
    for part in thread_id.split("-") if "-" in thread_id else ():
        if part.isdigit():
            members.setdefault(state.key(part) or part)
    for _, body in events:
        for field in ("senderId", "recipientId", "initiatingUserId"):
            if (key := state.key(body.get(field))) is not None:
                members.setdefault(key)
        for user in body.get("userIds") or []:
            if (key := state.key(user)) is not None:
                members.setdefault(key)
    return list(members)


def _reactions(body: dict[str, Any], state: DmState) -> tuple[Reaction, ...]:
    found = []
    for item in body.get("reactions") or []:
        if isinstance(item, dict) and text_of(item.get("reactionKey")):
            found.append(
                Reaction(state.key(item.get("senderId")), item["reactionKey"], iso_ms(item.get("createdAt")))
            )
    return tuple(found)


def _attachments(body: dict[str, Any]) -> tuple[Attachment, ...]:
    media = tuple(Attachment("photo", str(url).rsplit("/", 1)[-1]) for url in body.get("mediaUrls") or [])
    links = tuple(
        Attachment("link", text_of(u.get("expanded"))) for u in body.get("urls") or [] if isinstance(u, dict)
    )
    return media + links


def _title(events: list[tuple[str, dict[str, Any]]]) -> str | None:
    names = [text_of(body.get("name")) for kind, body in events if kind == "conversationNameUpdate"]
    return next((name for name in reversed(names) if name), None)


def thread_records(item: Any, where: str, group: bool, state: DmState) -> Iterator[Record]:
    """People, the Conversation and its Messages for one `dmConversation` element."""
    thread = item.get("dmConversation") if isinstance(item, dict) else None
    thread_id = text_of(thread.get("conversationId")) if isinstance(thread, dict) else None
    if not isinstance(thread, dict) or thread_id is None:
        yield Invalid("direct message thread without conversationId", where)
        return
    events = _events(thread)
    members = _members(thread_id, events, state)
    for key in members:
        if key not in state.people:
            state.people.add(key)
            yield Person(key, is_self=key == SELF_KEY)
    kind = "group" if group or len(members) > 2 else "direct"
    yield Conversation(thread_id, _title(events), kind, tuple(members))
    for index, (event, body) in enumerate(events):
        yield from _message(thread_id, event, body, f"{where}.messages[{index}]", state)


def _message(thread: str, event: str, body: dict[str, Any], where: str, state: DmState) -> Iterator[Record]:
    ts = iso_ms(body.get("createdAt"))
    if ts is None:
        yield Invalid("message without createdAt", where)
        return
    sender = state.key(body.get("senderId") or body.get("initiatingUserId"))
    if event == "messageCreate":
        edited = len(body.get("editHistory") or []) > 1
        yield Message(
            thread, sender, ts, text_of(body.get("text")), source_id=text_of(body.get("id")),
            edited=edited, attachments=_attachments(body), reactions=_reactions(body, state),
        )  # fmt: skip
    elif event == "conversationNameUpdate":
        yield Message(thread, sender, ts, f"renamed the group to {body.get('name')}", "system")
    elif event in _MEMBER_EVENTS:
        yield Message(thread, sender, ts, _MEMBER_EVENTS[event], "system")
    elif event not in state.unknown:
        state.unknown.add(event)
        yield Unrecognized(f"direct_messages.{event}")
