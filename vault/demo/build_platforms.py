"""Writers of each platform's files for one generation run, with their counts and plantings."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from vault.demo.chats import OWNER, Chat, fill
from vault.demo.location import allocate, default_location_count, iter_fixes
from vault.demo.persona import Persona, build_persona, mobile_number, phone_formats
from vault.demo.routine import Segment, local_ms, plan
from vault.demo.truth import Planted
from vault.demo.writers_chat_json import meta_thread, telegram_result
from vault.demo.writers_google import records_json, semantic_history, timeline_json
from vault.demo.writers_reddit import reddit_files
from vault.demo.writers_vcard import vcard_file
from vault.demo.writers_whatsapp import file_name, whatsapp_text
from vault.demo.writers_x import x_files
from vault.demo.zipout import DeterministicZip

TAKEOUT = "takeout-20240202T093000Z-001.zip"
LOCATION_DIR = "Takeout/Location History (Timeline)"
# (contact index, locale, messages) of the WhatsApp direct chats; the last one is shared as a zip
WHATSAPP_DIRECT = [
    (0, "en_GB", 1500),
    (1, "de_DE", 900),
    (2, "en_US", 500),
    (5, "es_ES", 300),
    (6, "fr_FR", 300),
    (3, "de_DE_ios", 800),
]
TELEGRAM_PEERS = [3, 9, 10, 11, 12]
MESSENGER_PEERS = [4, 14, 15]
INSTAGRAM_PEERS = [18, 19, 20]
X_PEERS = [22, 23, 24, 25]
REDDIT_PEERS = [26, 27, 28]
UNSAVED = 8  # appears in the WhatsApp group under their phone number


class _Run:
    """State of one generation: the persona, output folder, counts and planted identifiers."""

    def __init__(self, out: Path, seed: int, scale: int | None):
        self.out, self.seed, self.scale = out, seed, scale
        self.p: Persona = build_persona(seed)
        self.segments: list[Segment] = list(plan(self.p))
        self.files: dict[str, dict[str, int]] = {}
        self.planted: list[Planted] = []
        self.rng = random.Random(f"{seed}:build")
        fmts = phone_formats(self.p.phone)
        home = self.p.home
        self.values = {
            "phone_international": fmts["international"],
            "phone_national": fmts["national"],
            "phone_double_zero": fmts["double_zero"],
            "phone_rfc3966": fmts["rfc3966"],
            "phone_gb": phone_formats(mobile_number(self.rng, "GB"))["international"],
            "phone_us": phone_formats(mobile_number(self.rng, "US"))["national"],
            "coordinates": f"{home.lat:.5f}, {home.lon:.5f}",
            "address": home.address,
            **self.p.identifiers,
        }
        self.factor = 1.0

    def plant(self, where: str, items: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Record planted identifiers for a file; returns (type, value) pairs for the writers."""
        pairs = []
        for kind, key in items:
            value = self.values.get(key, key)
            self.planted.append(Planted(kind, value, where, 1))
            pairs.append((kind, value))
        return pairs

    def chat(
        self,
        platform: str,
        title: str,
        members: list[int],
        n: int,
        plants: list[tuple[str, str]],
        group: bool = False,
        scaled: bool = False,
    ) -> Chat:
        """A filled chat; WhatsApp and Telegram chats grow with --scale."""
        count = max(n, round(n * self.factor)) if scaled else n
        c = Chat(platform, title, members, count, plants, group)
        fill(c, self.seed, self.p.zone, self.p.start, self.p.days)
        return c


def _names(p: Persona) -> list[str]:
    return [c.name for c in p.contacts]


def _whatsapp(run: _Run) -> int:
    """Write the WhatsApp chats; returns the number of messages."""
    p, total = run.p, 0
    keys = _names(p)
    keys[UNSAVED] = phone_formats(p.contacts[UNSAVED].phone)["international"]
    plants = {
        0: [("phone", "phone_international"), ("iban", "iban")],
        1: [("email", p.email), ("phone", "phone_national")],
        3: [("phone", "phone_double_zero")],
    }
    for index, locale, n in WHATSAPP_DIRECT:
        title = keys[index]
        chat = Chat("whatsapp", title, [index], 0)
        where = _whatsapp_where(chat, locale)
        chat = run.chat("whatsapp", title, [index], n, run.plant(where, plants.get(index, [])), scaled=True)
        text, counts = whatsapp_text(chat, locale, p.name, keys, p.zone)
        _write_whatsapp(run, chat, locale, text)
        run.files[where] = counts
        total += counts["messages"]
    members = [0, 1, 2, 6, 7, UNSAVED]
    where = "WhatsApp Chat with Kletter-Crew.txt"
    group = run.chat(
        "whatsapp",
        "Kletter-Crew",
        members,
        1200,
        run.plant(where, [("address", "address"), ("phone", "phone_gb")]),
        group=True,
        scaled=True,
    )
    text, counts = whatsapp_text(group, "en_GB", p.name, keys, p.zone)
    (run.out / where).write_text(text, encoding="utf-8", newline="")
    run.files[where] = counts
    return total + counts["messages"]


def _whatsapp_where(chat: Chat, locale: str) -> str:
    name = file_name(chat, locale)
    return f"WhatsApp Chat - {chat.title}.zip/{name}" if locale.endswith("ios") else name


def _write_whatsapp(run: _Run, chat: Chat, locale: str, text: str) -> None:
    if locale.endswith("ios"):
        with DeterministicZip(run.out / f"WhatsApp Chat - {chat.title}.zip") as z:
            z.write_text("_chat.txt", text)
    else:
        (run.out / file_name(chat, locale)).write_text(text, encoding="utf-8", newline="")


def _telegram(run: _Run) -> int:
    """Write telegram/result.json; returns the number of messages."""
    p = run.p
    ids = [5_000_000_000 + (run.seed * 7_919 + i * 104_729) % 900_000_000 for i in range(len(p.contacts))]
    chats = []
    for k, peer in enumerate(TELEGRAM_PEERS):
        items = (
            [("card", "card"), ("coordinates", "coordinates"), ("phone", "phone_rfc3966")] if k == 0 else []
        )
        chats.append(
            run.chat(
                "telegram",
                p.contacts[peer].name,
                [peer],
                250,
                run.plant("telegram/result.json", items),
                scaled=True,
            )
        )
    contacts = []
    for i in [*TELEGRAM_PEERS, 13]:
        first, _, last = p.contacts[i].name.partition(" ")
        contacts.append(
            {
                "user_id": ids[i],
                "first_name": first,
                "last_name": last,
                "phone_number": phone_formats(p.contacts[i].phone)["international"],
                "date": "2022-11-05T18:22:10",
                "date_unixtime": "1667668930",
            }
        )
    owner = {
        "user_id": 4_900_000_000 + run.seed % 1000,
        "first": p.first,
        "last": p.last,
        "name": p.name,
        "phone": phone_formats(p.phone)["international"],
        "username": p.handles["telegram"],
        "bio": "Berlin · climbing · maps",
    }
    text, counts = telegram_result(chats, owner, contacts, _names(p), ids, p.zone)
    (run.out / "telegram").mkdir(parents=True, exist_ok=True)
    (run.out / "telegram" / "result.json").write_text(text, encoding="utf-8")
    run.files["telegram/result.json"] = counts
    run.tg_ids = ids  # type: ignore[attr-defined]
    run.tg_owner = owner  # type: ignore[attr-defined]
    return counts["messages"]


def _meta(run: _Run, platform: str, peers: list[int]) -> int:
    """Write the Facebook (Messenger) or Instagram zip; returns the number of messages."""
    p = run.p
    user = p.handles["instagram"]
    zip_name = f"facebook-{user.replace('.', '')}.zip" if platform == "messenger" else f"instagram-{user}.zip"
    root = "your_facebook_activity" if platform == "messenger" else "your_instagram_activity"
    threads: list[tuple[str, Chat]] = []
    for k, peer in enumerate(peers):
        slug = "".join(ch for ch in p.contacts[peer].name.lower() if ch.isascii() and ch.isalpha())
        thread = f"inbox/{slug}_{10_000_000_000 + peer * 7_777 + run.seed}"
        where = f"{zip_name}/{root}/messages/{thread}/message_1.json"
        items = {
            ("messenger", 0): [("iban", "iban"), ("email", p.contacts[peer].email)],
            ("instagram", 0): [("address", "address"), ("phone", "phone_us")],
        }.get((platform, k), [])
        chat = run.chat(platform, p.contacts[peer].name, [peer], 150, run.plant(where, items))
        threads.append((thread, chat))
    total = 0
    with DeterministicZip(run.out / zip_name) as z:
        for thread, chat in threads:
            text, counts = meta_thread(chat, p.name, _names(p), thread, platform)
            member = f"{root}/messages/{thread}/message_1.json"
            z.write_text(member, text)
            run.files[f"{zip_name}/{member}"] = counts
            total += counts["messages"]
    return total


def _activity_times(run: _Run, n: int, label: str) -> list[int]:
    """`n` sorted evening-heavy times over the period for posts and likes."""
    chat = Chat(label, label, [0], n)
    fill(chat, run.seed, run.p.zone, run.p.start, run.p.days)
    return [m.ts_ms for m in chat.messages]


def _reddit(run: _Run) -> dict[str, int]:
    p = run.p
    plants = {
        "comments.csv": run.plant(
            "reddit.zip/comments.csv", [("name", p.name), ("ip", "ip"), ("email", p.email)]
        ),
        "posts.csv": run.plant("reddit.zip/posts.csv", [("url", "url")]),
    }
    peers = [f"{p.contacts[i].name.split()[0].lower()}_{i}" for i in REDDIT_PEERS]
    files, counts = reddit_files(p, _activity_times(run, 700, "reddit"), plants, peers)
    with DeterministicZip(run.out / "reddit.zip") as z:
        for name, text in files.items():
            z.write_text(name, text)
    for name, n in counts.items():
        run.files[f"reddit.zip/{name}"] = {"rows": n}
    run.reddit_peers = peers  # type: ignore[attr-defined]
    return counts


def _x(run: _Run) -> dict[str, int]:
    p = run.p
    peers = [(str(2_000_000 + i * 313), f"{p.contacts[i].name.split()[0].lower()}{i}") for i in X_PEERS]
    dm_chats = []
    for k in range(2):
        chat = run.chat("x", p.contacts[X_PEERS[k]].name, [X_PEERS[k]], 40, [])
        dm_chats.append([(m.ts_ms, m.sender == OWNER, m.text) for m in chat.messages])
    plants = run.plant("twitter.zip/data/tweets.js", [("url", "url"), ("ip", "ip")])
    files, counts = x_files(p, _activity_times(run, 450, "x"), plants, peers, dm_chats)
    with DeterministicZip(run.out / "twitter.zip") as z:
        for name, text in files.items():
            z.write_text(name, text)
    for name, n in counts.items():
        run.files[f"twitter.zip/{name}"] = {"items": n}
    run.x_peers = peers  # type: ignore[attr-defined]
    return counts


def _vcard(run: _Run) -> int:
    contacts = run.p.contacts[:30]
    quoted = {i for i, c in enumerate(contacts) if not c.name.isascii()}
    quoted = set(sorted(quoted)[:4])
    (run.out / "contacts.vcf").write_bytes(vcard_file(contacts, quoted).encode("utf-8"))
    run.files["contacts.vcf"] = {"cards": len(contacts), "quoted_printable": len(quoted)}
    return len(contacts)


def _locations(run: _Run, other_records: int) -> dict[str, int]:
    """Write the Takeout zip and Timeline.json; returns location counts."""
    segs, p = run.segments, run.p
    target = default_location_count(segs) if run.scale is None else max(run.scale - other_records, 100)
    counts = allocate(segs, target)
    semantic, semantic_counts = semantic_history(run.seed, segs, counts, p.zone)
    with DeterministicZip(run.out / TAKEOUT) as z:
        z.write_stream(f"{LOCATION_DIR}/Records.json", records_json(iter_fixes(run.seed, segs, counts)))
        for name, text in semantic.items():
            z.write_text(f"{LOCATION_DIR}/Semantic Location History/{name}", text)
    run.files[f"{TAKEOUT}/{LOCATION_DIR}/Records.json"] = {"locations": target}
    for name, c in semantic_counts.items():
        run.files[f"{TAKEOUT}/{LOCATION_DIR}/Semantic Location History/{name}"] = c
    end = local_ms(_zone(p), p.start + timedelta(days=p.days), 0)
    text, tally = timeline_json(
        run.seed, segs, counts, end - 90 * 86_400_000, end - 7 * 86_400_000, [p.home, p.work]
    )
    (run.out / "Timeline.json").write_text(text, encoding="utf-8")
    run.files["Timeline.json"] = tally
    sem = {k: sum(c[k] for c in semantic_counts.values()) for k in ("visits", "trips", "raw_path_points")}
    return {
        "records": target,
        **{f"semantic_{k}": v for k, v in sem.items()},
        **{f"timeline_{k}": v for k, v in tally.items()},
    }


def _zone(p: Persona) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(p.zone)
