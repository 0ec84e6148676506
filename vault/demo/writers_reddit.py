"""Reddit's GDPR export: a flat zip of CSV files."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from vault.demo.persona import Persona

SUBREDDITS = ["berlin", "bouldering", "python", "AskEurope", "cycling", "de", "travel", "datascience"]
WORDS = [
    "kiez",
    "spree",
    "tempelhof",
    "bouldering",
    "gym",
    "bike",
    "train",
    "coffee",
    "ramen",
    "flat",
    "rent",
    "python",
    "data",
    "map",
    "weekend",
    "lake",
    "sunset",
    "winter",
    "club",
]


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV as Reddit writes it: comma, minimal quoting, LF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _reddit_date(ts_ms: int) -> str:
    return datetime.fromtimestamp(ts_ms // 1000, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def reddit_files(
    p: Persona, times: list[int], plants: dict[str, list[tuple[str, str]]], peers: list[str]
) -> tuple[dict[str, str], dict[str, int]]:
    """The Reddit export's CSV files (name -> text) and row counts; `times` are sorted ms."""
    rng = random.Random(f"{p.seed}:reddit")
    posts: list[list[Any]] = []
    comments: list[list[Any]] = []
    messages: list[list[Any]] = []
    votes: list[list[Any]] = []
    cvotes: list[list[Any]] = []
    saved: list[list[Any]] = []
    hidden: list[list[Any]] = []
    for i, ts in enumerate(times):
        sub = rng.choice(SUBREDDITS)
        pid = _b36(10_000_000 + i * 7919)
        slug = "_".join(_sentence(rng, 3).split())
        link = f"https://www.reddit.com/r/{sub}/comments/{pid}/{slug}/"
        roll = i % 10
        if roll == 0:
            posts.append(
                [
                    pid,
                    link,
                    _reddit_date(ts),
                    "",
                    sub,
                    0,
                    _sentence(rng, 5).capitalize(),
                    link,
                    _sentence(rng, 12),
                ]
            )
        elif roll < 5:
            cid = _b36(60_000_000 + i * 104_729)
            body = _sentence(rng, 9) + ("\n\n" + _sentence(rng, 6) if rng.random() < 0.1 else "")
            comments.append([cid, f"{link}{cid}/", _reddit_date(ts), "", sub, 0, link, f"t3_{pid}", body, ""])
        elif roll < 8:
            (votes if roll < 7 else cvotes).append([pid, link, "up" if rng.random() < 0.85 else "down"])
        else:
            (saved if roll == 8 else hidden).append([pid, link])
    for k, ts in enumerate(times[5 :: max(1, len(times) // 12)][:12]):
        peer = peers[k % len(peers)]
        sender, to = (p.handles["reddit"], peer) if k % 2 else (peer, p.handles["reddit"])
        mid = _b36(900_000 + k)
        messages.append(
            [
                mid,
                f"https://www.reddit.com/message/messages/{mid}",
                "",
                _reddit_date(ts),
                "",
                sender,
                to,
                "re: " + _sentence(rng, 2),
                _sentence(rng, 10),
            ]
        )
    _plant_rows(plants.get("comments.csv", []), comments, 8)
    _plant_rows(plants.get("posts.csv", []), posts, 8)
    _plant_rows(plants.get("messages.csv", []), messages, 8)
    ips = [["registration ip", "87.123.45.67"]] + [
        [_reddit_date(ts), f"87.123.{40 + k}.{10 + k * 3}"] for k, ts in enumerate(times[-6:])
    ]
    stats = [
        ["account name", p.handles["reddit"]],
        ["export time", "2024-02-02 09:30:00 UTC"],
        ["is_deleted", "False"],
        ["registration date", "2019-03-14 18:02:11 UTC"],
        ["email verified", "True"],
        ["email address", p.email],
    ]
    files = {
        "posts.csv": _csv(
            ["id", "permalink", "date", "ip", "subreddit", "gildings", "title", "url", "body"], posts
        ),
        "comments.csv": _csv(
            ["id", "permalink", "date", "ip", "subreddit", "gildings", "link", "parent", "body", "media"],
            comments,
        ),
        "messages.csv": _csv(
            ["id", "permalink", "thread_id", "date", "ip", "from", "to", "subject", "body"], messages
        ),
        "post_votes.csv": _csv(["id", "permalink", "direction"], votes),
        "comment_votes.csv": _csv(["id", "permalink", "direction"], cvotes),
        "saved_posts.csv": _csv(["id", "permalink"], saved),
        "hidden_posts.csv": _csv(["id", "permalink"], hidden),
        "subscribed_subreddits.csv": _csv(["subreddit"], [[s] for s in SUBREDDITS]),
        "birthdate.csv": _csv(
            ["birthdate", "verified_birthdate", "verification_state", "verification_method"],
            [[p.birth_date, "", "", ""]],
        ),
        "account_gender.csv": _csv(["account_gender"], [[p.gender]]),
        "ip_logs.csv": _csv(["date", "ip"], ips),
        "statistics.csv": _csv(["statistic", "value"], stats),
    }
    counts = {name: len(list(csv.reader(io.StringIO(text)))) - 1 for name, text in files.items()}
    return files, counts


def _plant_rows(plants: list[tuple[str, str]], rows: list[list[Any]], column: int) -> None:
    """Write planted sentences into the body column of evenly spread rows."""
    from vault.demo.chats import PLANT_TEMPLATES

    for k, (kind, value) in enumerate(plants):
        row = rows[(k * 7 + 3) % len(rows)]
        row[column] = PLANT_TEMPLATES[kind].format(value=value)
