"""WhatsApp chat exports (`.txt`) in several phone locales, Android and iOS header styles."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from vault.demo.chats import OWNER, Chat, ChatMessage, _text

LRM = "\u200e"
NNBSP = "\u202f"


def _us_12h(dt: datetime) -> str:
    hour = dt.hour % 12 or 12
    return f"{dt.month}/{dt.day}/{dt:%y}, {hour}:{dt:%M}{NNBSP}{'AM' if dt.hour < 12 else 'PM'}"


@dataclass(frozen=True)
class Locale:
    """How one phone locale writes headers and fixed phrases."""

    stamp: Callable[[datetime], str]
    ios: bool
    media: str
    deleted: str
    e2e: str
    created: str  # group creation line, {title}
    added: str  # {name}
    file_name: str  # {title}


LOCALES = {
    "en_GB": Locale(
        lambda d: f"{d:%d/%m/%Y, %H:%M}",
        False,
        "<Media omitted>",
        "This message was deleted",
        "Messages and calls are end-to-end encrypted. No one outside of this chat, not "
        "even WhatsApp, can read or listen to them. Tap to learn more.",
        'You created group "{title}"',
        "You added {name}",
        "WhatsApp Chat with {title}.txt",
    ),
    "de_DE": Locale(
        lambda d: f"{d:%d.%m.%y, %H:%M}",
        False,
        "<Medien ausgeschlossen>",
        "Diese Nachricht wurde gelöscht.",
        "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses "
        "Chats kann sie lesen oder anhören, nicht einmal WhatsApp. Tippe, um mehr zu erfahren.",
        "Du hast die Gruppe „{title}“ erstellt.",
        "Du hast {name} hinzugefügt.",
        "WhatsApp Chat mit {title}.txt",
    ),
    "en_US": Locale(
        _us_12h,
        False,
        "<Media omitted>",
        "This message was deleted",
        "Messages and calls are end-to-end encrypted. No one outside of this chat, not "
        "even WhatsApp, can read or listen to them. Tap to learn more.",
        'You created group "{title}"',
        "You added {name}",
        "WhatsApp Chat with {title}.txt",
    ),
    "es_ES": Locale(
        lambda d: f"{d.day}/{d.month}/{d:%y}, {d.hour}:{d:%M}",
        False,
        "<Multimedia omitido>",
        "Se eliminó este mensaje.",
        "Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de "
        "este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos. Toca para obtener "
        "más información.",
        'Creaste el grupo "{title}"',
        "Añadiste a {name}",
        "Chat de WhatsApp con {title}.txt",
    ),
    "fr_FR": Locale(
        lambda d: f"{d:%d/%m/%Y} à {d:%H:%M}",
        False,
        "<Médias omis>",
        "Ce message a été supprimé",
        "Les messages et les appels sont chiffrés de bout en bout. Aucun tiers, pas même "
        "WhatsApp, ne peut les lire ou les écouter. Appuyez pour en savoir plus.",
        "Vous avez créé le groupe « {title} »",
        "Vous avez ajouté {name}",
        "Discussion WhatsApp avec {title}.txt",
    ),
    "de_DE_ios": Locale(
        lambda d: f"{d:%d.%m.%y, %H:%M:%S}",
        True,
        f"{LRM}Bild weggelassen",
        f"{LRM}Diese Nachricht wurde gelöscht.",
        f"{LRM}Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand "
        "außerhalb dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp.",
        f"{LRM}Du hast die Gruppe „{{title}}“ erstellt.",
        f"{LRM}Du hast {{name}} hinzugefügt.",
        "_chat.txt",
    ),
}


def _line(loc: Locale, dt: datetime, name: str | None, text: str) -> str:
    """One message (or system line when `name` is None) with its header."""
    stamp = loc.stamp(dt)
    if loc.ios:
        return f"[{stamp}] {name}: {text}" if name else f"[{stamp}] {text}"
    return f"{stamp} - {name}: {text}" if name else f"{stamp} - {text}"


def _body(loc: Locale, msg: ChatMessage) -> str:
    """The text WhatsApp writes for a message of a kind."""
    return {"media": loc.media, "deleted": loc.deleted}.get(msg.kind, msg.text)


def whatsapp_text(
    chat: Chat, locale: str, owner: str, keys: list[str], zone: str
) -> tuple[str, dict[str, int]]:
    """A chat export and its counts; `keys` maps contact index to the name as the phone shows it."""
    loc, tz = LOCALES[locale], ZoneInfo(zone)
    first = datetime.fromtimestamp(chat.messages[0].ts_ms / 1000 - 600, UTC).astimezone(tz)
    lines, counts = [], {"messages": 0, "system": 0, "media": 0, "deleted": 0, "text": 0}
    system = [loc.e2e]
    if chat.group:
        system += [loc.created.format(title=chat.title)]
        system += [loc.added.format(name=keys[m]) for m in chat.members]
    for text in system:
        sender = (chat.title if chat.group else keys[chat.members[0]]) if loc.ios else None
        lines.append(_line(loc, first, sender, text))
        counts["system"] += 1
    for msg in chat.messages:
        dt = datetime.fromtimestamp(msg.ts_ms / 1000, UTC).astimezone(tz)
        name = owner if msg.sender == OWNER else keys[msg.sender]
        lines.append(_line(loc, dt, name, _body(loc, msg)))
        kind = msg.kind if msg.kind in ("media", "deleted") else "text"
        counts[kind] += 1
    counts["messages"] = len(chat.messages) + counts["system"]
    counts["senders"] = len({m.sender for m in chat.messages})
    return "\n".join(lines) + "\n", counts


def file_name(chat: Chat, locale: str) -> str:
    """The name WhatsApp gives the exported file."""
    return LOCALES[locale].file_name.format(title=chat.title)


def stream_chat(n_messages: int, seed: int, zone: str = "Europe/Berlin") -> Iterator[str]:
    """A long two-person en_GB Android chat, in chunks, never held whole."""
    rng = random.Random(f"{seed}:whatsapp-bench")
    loc, tz = LOCALES["en_GB"], ZoneInfo(zone)
    ts = 1_672_560_000_000
    names = ["Lena Hoffmann", "Jonas Weber"]
    chunk: list[str] = [_line(loc, datetime.fromtimestamp(ts / 1000, UTC).astimezone(tz), None, loc.e2e)]
    for _ in range(n_messages):
        ts += rng.randint(5_000, 900_000)
        dt = datetime.fromtimestamp(ts / 1000, UTC).astimezone(tz)
        chunk.append(_line(loc, dt, rng.choice(names), _text(rng)))
        if len(chunk) >= 5000:
            yield "\n".join(chunk) + "\n"
            chunk = []
    yield "\n".join(chunk) + "\n" if chunk else ""


def write_whatsapp_chat(path: Path, n_messages: int, seed: int) -> int:
    """Write a benchmark chat of `n_messages` messages (plus one system line); returns bytes written."""
    size = 0
    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        for chunk in stream_chat(n_messages, seed):
            size += out.write(chunk)
    return size
