"""Turn one Telegram Desktop message object into records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from vault.records import Attachment, Invalid, Location, Message, Reaction, Record

KNOWN_FIELDS = frozenset(
    [
        "id",
        "type",
        "date",
        "date_unixtime",
        "edited",
        "edited_unixtime",
        "from",
        "from_id",
        "actor",
        "actor_id",
        "action",
        "text",
        "text_entities",
        "photo",
        "photo_file_size",
        "width",
        "height",
        "file",
        "file_name",
        "file_size",
        "thumbnail",
        "thumbnail_file_size",
        "media_type",
        "mime_type",
        "duration_seconds",
        "sticker_emoji",
        "reply_to_message_id",
        "reply_to_peer_id",
        "forwarded_from",
        "saved_from",
        "poll",
        "location_information",
        "contact_information",
        "contact_vcard",
        "reactions",
        "via_bot",
        "title",
        "members",
        "discard_reason",
        "message_id",
        "inviter",
        "live_location_period_seconds",
        "author",
        "signature",
        "place_name",
        "address",
        "boost_count",
        "self_destruct_period_seconds",
        "game_title",
        "game_description",
        "game_link",
    ]
)

_MEDIA_KINDS = {
    "sticker": "sticker",
    "voice_message": "voice",
    "video_message": "video",
    "video_file": "video",
    "animation": "gif",
    "audio_file": "audio",
}


def person_key(from_id: Any, name: str | None) -> str | None:
    """A sender's stable key: `from_id` ("user123"; old exports wrote the bare number)."""
    if isinstance(from_id, int | float):
        return f"user{int(from_id)}"
    if isinstance(from_id, str) and from_id:
        return from_id
    return name


def flatten_text(text: Any) -> str:
    """Telegram's `text` as one string: entity lists joined, links kept next to their label."""
    if isinstance(text, str):
        return text
    if not isinstance(text, list):
        return ""
    parts = []
    for item in text:
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, dict):
            label = str(item.get("text", ""))
            href = item.get("href")
            parts.append(f"{label} ({href})" if href and href != label else label)
    return "".join(parts)


def timestamp_ms(message: dict[str, Any], tz: ZoneInfo) -> int | None:
    """UTC ms from `date_unixtime`, else from the local `date` in the import's zone."""
    unix = message.get("date_unixtime")
    if unix not in (None, ""):
        return int(float(unix)) * 1000
    local = message.get("date")
    if isinstance(local, str):
        try:
            return int(datetime.fromisoformat(local).replace(tzinfo=tz).timestamp()) * 1000
        except ValueError:
            return None
    return None


def message_records(message: dict[str, Any], chat_key: str, tz: ZoneInfo, where: str) -> Iterator[Record]:
    """Records for one message (a Message, and a Location for a shared position)."""
    ts_ms = timestamp_ms(message, tz)
    if ts_ms is None:
        yield Invalid("message without a readable date", where)
        return
    service = message.get("type") == "service"
    sender = person_key(
        message.get("actor_id" if service else "from_id"), message.get("actor" if service else "from")
    )
    text = flatten_text(message.get("text"))
    kind, attachments = _kind(message, service)
    lat, lon = _position(message)
    if kind == "system" and not text:
        text = str(message.get("action") or "")
    if kind == "poll":
        text = _poll_text(message["poll"])
    if kind == "contact":
        text = _contact_text(message["contact_information"])
    msg_id = message.get("id")
    yield Message(
        chat_key,
        sender,
        ts_ms,
        text or None,
        kind,
        source_id=f"{chat_key}:{msg_id}" if msg_id is not None else None,
        reply_to=_reply(chat_key, message.get("reply_to_message_id")),
        edited="edited" in message or "edited_unixtime" in message,
        forwarded_from=message.get("forwarded_from"),
        lat=lat,
        lon=lon,
        attachments=attachments,
        reactions=_reactions(message.get("reactions")),
    )
    if lat is not None and lon is not None:
        yield Location(ts_ms, lat, lon, source="telegram_share")


def _kind(message: dict[str, Any], service: bool) -> tuple[str, tuple[Attachment, ...]]:
    if service:
        return ("call" if message.get("action") == "phone_call" else "system"), ()
    if "poll" in message:
        return "poll", ()
    if "location_information" in message:
        return "location", ()
    if "contact_information" in message:
        return "contact", ()
    if "photo" in message:
        return "media", (Attachment("photo", _file_name(message.get("photo")), _size(message)),)
    if "file" in message or "media_type" in message:
        kind = _MEDIA_KINDS.get(str(message.get("media_type")), "file")
        name = message.get("file_name") or _file_name(message.get("file"))
        return "media", (Attachment(kind, name, _size(message)),)
    return "text", ()


def _file_name(path: Any) -> str | None:
    if not isinstance(path, str) or path.startswith("("):
        return None
    return path.rsplit("/", 1)[-1]


def _size(message: dict[str, Any]) -> int | None:
    size = message.get("file_size") or message.get("photo_file_size")
    return int(size) if isinstance(size, int | float) else None


def _position(message: dict[str, Any]) -> tuple[float | None, float | None]:
    info = message.get("location_information")
    if not isinstance(info, dict):
        return None, None
    lat, lon = info.get("latitude"), info.get("longitude")
    if not (isinstance(lat, int | float) and isinstance(lon, int | float)):
        return None, None
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return float(lat), float(lon)
    return None, None


def _poll_text(poll: Any) -> str:
    if not isinstance(poll, dict):
        return ""
    answers = [
        f"{a.get('text', '')} ({a.get('voters', 0)})" for a in poll.get("answers", []) if isinstance(a, dict)
    ]
    return "\n".join([str(poll.get("question", "")), *answers])


def _contact_text(info: Any) -> str:
    if not isinstance(info, dict):
        return ""
    name = " ".join(str(info.get(k) or "") for k in ("first_name", "last_name")).strip()
    return f"{name} {info.get('phone_number') or ''}".strip()


def _reply(chat_key: str, reply_id: Any) -> str | None:
    return f"{chat_key}:{reply_id}" if reply_id is not None else None


def _reactions(reactions: Any) -> tuple[Reaction, ...]:
    if not isinstance(reactions, list):
        return ()
    found = []
    for reaction in reactions:
        if not isinstance(reaction, dict):
            continue
        emoji = str(reaction.get("emoji") or reaction.get("document_id") or reaction.get("type"))
        recent = reaction.get("recent") or []
        for who in recent:
            if isinstance(who, dict):
                found.append(Reaction(person_key(who.get("from_id"), who.get("from")), emoji))
        if not recent:
            found.append(Reaction(None, emoji))
    return tuple(found)
