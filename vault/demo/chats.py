"""Conversations of the persona: who talks, when (a local-time rhythm), what, and what is planted."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from vault.demo.routine import local_ms

OWNER = -1

PHRASES = [
    "see you later",
    "on my way",
    "bin gleich da",
    "klingt gut",
    "what time works for you",
    "haha yes",
    "did you see the news",
    "ich komme etwas später",
    "can you send me the photos",
    "let's grab a coffee",
    "sounds like a plan",
    "schönes Wochenende",
    "thanks a lot",
    "are you coming tonight",
    "the train is late again",
    "wie war dein Tag",
    "miss you",
    "good morning",
    "gute Nacht",
    "I'll call you later",
    "where are you",
    "almost there",
    "did you book the tickets",
    "the weather is great today",
    "lunch tomorrow?",
    "okay",
    "na klar",
    "stimmt",
    "no worries",
    "happy birthday",
    "congrats on the new job",
]
EMOJI = ["😂", "👍", "🎉", "❤️", "😅", "🙈", "☀️", "🚲", "🍕", "😊", "👋🏽", "🇩🇪"]
# hour-of-day weights for sending messages (local time): quiet at night, busy in the evening
HOUR_WEIGHTS = [1, 0.5, 0.2, 0.1, 0.1, 0.2, 1, 3, 5, 4, 4, 4, 6, 5, 4, 4, 5, 6, 8, 9, 9, 8, 5, 3]

PLANT_TEMPLATES = {
    "phone": "meine neue Nummer: {value}",
    "email": "schreib mir an {value}",
    "iban": "hier meine IBAN: {value}",
    "card": "card number is {value}, don't tell anyone",
    "address": "we live at {value} now",
    "coordinates": "pin is {value}",
    "ip": "my server is at {value}",
    "url": "my new CV: {value}",
    "name": "this is {value} btw",
}


class ChatMessage(NamedTuple):
    """One message before a platform writes it; `sender` is OWNER or a contact index."""

    ts_ms: int
    sender: int
    text: str
    kind: str = "text"  # text, media, deleted, call, link, system


@dataclass
class Chat:
    """A conversation on one platform."""

    platform: str
    title: str
    members: list[int]  # contact indices, the owner not included
    n_messages: int
    plants: list[tuple[str, str]] = field(default_factory=list)  # (type, value)
    group: bool = False
    messages: list[ChatMessage] = field(default_factory=list)


def _text(rng: random.Random) -> str:
    """A short casual message, sometimes with emoji or on two lines."""
    text = rng.choice(PHRASES)
    if rng.random() < 0.25:
        text += " " + rng.choice(EMOJI)
    if rng.random() < 0.04:
        text += "\n" + rng.choice(PHRASES)
    return text


def _times(rng: random.Random, zone: str, start: date, days: int, n: int) -> list[int]:
    """`n` sorted send times following the local daily rhythm."""
    tz = ZoneInfo(zone)
    hours = list(range(24))
    out = []
    for _ in range(n):
        day = start + timedelta(days=rng.randrange(days))
        hour = rng.choices(hours, HOUR_WEIGHTS)[0]
        out.append(local_ms(tz, day, hour * 60 + rng.random() * 60))
    out.sort()
    return out


def fill(chat: Chat, seed: int, zone: str, start: date, days: int) -> None:
    """Draw the chat's messages and plant its identifiers in messages the owner sent."""
    rng = random.Random(f"{seed}:chat:{chat.platform}:{chat.title}")
    speakers = [OWNER, *chat.members]
    messages = []
    for ts in _times(rng, zone, start, days, chat.n_messages):
        sender = rng.choice(speakers) if rng.random() < 0.9 else speakers[0]
        roll = rng.random()
        kind = "media" if roll < 0.06 else "deleted" if roll < 0.07 else "link" if roll < 0.08 else "text"
        text = "https://www.openstreetmap.org/" if kind == "link" else _text(rng)
        messages.append(ChatMessage(ts, sender, text, kind))
    owner_slots = [i for i, m in enumerate(messages) if m.sender == OWNER and m.kind == "text"]
    for slot, (kind, value) in zip(rng.sample(owner_slots, len(chat.plants)), chat.plants, strict=True):
        old = messages[slot]
        messages[slot] = old._replace(text=PLANT_TEMPLATES[kind].format(value=value))
    chat.messages = messages
