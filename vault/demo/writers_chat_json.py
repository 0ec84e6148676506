"""Telegram Desktop's full `result.json` and Meta's `message_1.json` (Messenger, Instagram)."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from vault.demo.chats import OWNER, Chat, ChatMessage

FILE_NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"


def _tg_message(msg: ChatMessage, mid: int, who: tuple[str, str], tz: ZoneInfo, prev: int) -> dict[str, Any]:
    """One Telegram message object in the export's key order."""
    local = datetime.fromtimestamp(msg.ts_ms // 1000, UTC).astimezone(tz).replace(tzinfo=None)
    out: dict[str, Any] = {
        "id": mid,
        "type": "message",
        "date": local.isoformat(),
        "date_unixtime": str(msg.ts_ms // 1000),
        "from": who[0],
        "from_id": who[1],
    }
    if msg.kind == "deleted":  # Telegram has no tombstones: a call stands in the slot
        return {
            "id": mid,
            "type": "service",
            "date": local.isoformat(),
            "date_unixtime": str(msg.ts_ms // 1000),
            "actor": who[0],
            "actor_id": who[1],
            "action": "phone_call",
            "duration_seconds": 30 + mid % 600,
            "discard_reason": "hangup",
            "text": "",
            "text_entities": [],
        }
    if mid % 11 == 0 and prev:
        out["reply_to_message_id"] = prev
    if mid % 17 == 0:
        edited = msg.ts_ms // 1000 + 20
        out["edited"] = datetime.fromtimestamp(edited, UTC).astimezone(tz).replace(tzinfo=None).isoformat()
        out["edited_unixtime"] = str(edited)
    if msg.kind == "media":
        out.update(
            {"photo": FILE_NOT_INCLUDED, "width": 1280, "height": 960, "text": "", "text_entities": []}
        )
    elif msg.kind == "link":
        out["text"] = [{"type": "link", "text": msg.text}, " 👀"]
        out["text_entities"] = [{"type": "link", "text": msg.text}, {"type": "plain", "text": " 👀"}]
    else:
        out["text"] = msg.text
        out["text_entities"] = [{"type": "plain", "text": msg.text}]
    return out


def telegram_result(
    chats: Sequence[Chat],
    owner: dict[str, Any],
    contacts: Sequence[dict[str, Any]],
    names: list[str],
    ids: list[int],
    zone: str,
) -> tuple[str, dict[str, int]]:
    """A full Telegram Desktop export (personal info, contacts, chats) and its counts."""
    tz = ZoneInfo(zone)
    chat_list, counts = [], {"messages": 0, "service": 0, "chats": len(chats), "contacts": len(contacts)}
    for chat in chats:
        peer = chat.members[0]
        messages: list[dict[str, Any]] = []
        mid = 1000 + ids[peer] % 9000
        for msg in chat.messages:
            mid += 1 + (mid % 3 == 0)
            who = (
                (owner["name"], f"user{owner['user_id']}")
                if msg.sender == OWNER
                else (names[msg.sender], f"user{ids[msg.sender]}")
            )
            messages.append(_tg_message(msg, mid, who, tz, messages[-1]["id"] if messages else 0))
        counts["service"] += sum(1 for m in messages if m["type"] == "service")
        counts["messages"] += len(messages)
        chat_list.append(
            {"name": names[peer], "type": "personal_chat", "id": ids[peer], "messages": messages}
        )
    doc = {
        "about": "Here is the data you requested. Remember: Telegram is ad free, it doesn't sell "
        "your data to advertisers, and your data is never shared with third parties.",
        "personal_information": {
            "user_id": owner["user_id"],
            "first_name": owner["first"],
            "last_name": owner["last"],
            "phone_number": owner["phone"],
            "username": "@" + owner["username"],
            "bio": owner["bio"],
        },
        "contacts": {"about": "This is your contact list.", "list": list(contacts)},
        "chats": {"about": "This page lists all chats from this export.", "list": chat_list},
    }
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n", counts


def mojibake(value: Any) -> Any:
    """Meta's encoding bug: each UTF-8 byte of every string written as its own code point."""
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [mojibake(v) for v in value]
    if isinstance(value, dict):
        return {mojibake(k): mojibake(v) for k, v in value.items()}
    return value


def _meta_message(
    msg: ChatMessage, sender: str, names: list[str], platform: str, rng: random.Random, thread: str
) -> dict[str, Any]:
    """One Meta message object."""
    out: dict[str, Any] = {"sender_name": sender, "timestamp_ms": msg.ts_ms}
    if msg.kind == "media":
        out["photos"] = [{"uri": f"{thread}/photos/{msg.ts_ms}.jpg", "creation_timestamp": msg.ts_ms // 1000}]
    elif msg.kind == "deleted":
        out["content"] = "You unsent a message" if msg.sender == OWNER else f"{sender} unsent a message"
        out["is_unsent"] = True
    elif msg.kind == "link":
        out["share"] = {"link": msg.text}
        out["content"] = msg.text
    else:
        out["content"] = msg.text
    if rng.random() < 0.1:
        out["reactions"] = [{"reaction": "❤", "actor": rng.choice(names)}]
    out["is_geoblocked_for_viewer"] = False
    if platform == "messenger":
        out["is_unsent_image_by_messenger_kid_parent"] = False
    return out


def meta_thread(
    chat: Chat, owner: str, names: list[str], thread_path: str, platform: str
) -> tuple[str, dict[str, int]]:
    """A `message_1.json` (newest first, mojibake, two-space indent) and its counts."""
    rng = random.Random(f"meta:{thread_path}")
    senders = [owner if m.sender == OWNER else names[m.sender] for m in chat.messages]
    members = [names[i] for i in chat.members]
    messages = [
        _meta_message(m, s, [owner, *members], platform, rng, thread_path)
        for m, s in zip(chat.messages, senders, strict=True)
    ]
    messages.reverse()
    doc: dict[str, Any] = {
        "participants": [{"name": n} for n in [*members, owner]],
        "messages": messages,
        "title": chat.title if chat.group else members[0],
        "is_still_participant": True,
        "thread_path": thread_path,
        "magic_words": [],
    }
    if chat.group:
        doc["joinable_mode"] = {"mode": 1, "link": ""}
    counts = {
        "messages": len(messages),
        "media": sum(1 for m in chat.messages if m.kind == "media"),
        "unsent": sum(1 for m in chat.messages if m.kind == "deleted"),
        "reactions": sum(len(m.get("reactions", [])) for m in messages),
    }
    return json.dumps(mojibake(doc), indent=2, ensure_ascii=True) + "\n", counts
