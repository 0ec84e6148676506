"""Sensitive-topic lexicons (health, religion, politics, sexuality, finances) and their matcher."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

TOPICS = ("health", "religion", "politics", "sexuality", "finances")


@lru_cache(maxsize=1)
def lexicons() -> dict[str, tuple[str, ...]]:
    """Topic -> terms, read once from vault/data/lexicons.json."""
    raw = json.loads(resources.files("vault").joinpath("data/lexicons.json").read_text("utf-8"))
    return {topic: tuple(raw[topic]) for topic in TOPICS}


def _term_regex(term: str) -> str:
    """A term as a word-bounded regex; a trailing * allows any word ending."""
    stem = term.rstrip("*")
    body = r"\s+".join(re.escape(part) for part in stem.split())
    return rf"\b{body}\w*" if term.endswith("*") else rf"\b{body}\b"


@lru_cache(maxsize=1)
def _matcher() -> re.Pattern[str]:
    """One alternation with a named group per topic, compiled once."""
    groups = [
        f"(?P<{topic}>{'|'.join(_term_regex(t) for t in terms)})" for topic, terms in lexicons().items()
    ]
    return re.compile("|".join(groups), re.IGNORECASE)


def topic_hits(text: str) -> list[tuple[str, int, int]]:
    """(topic, start, end) of every lexicon term in the text."""
    return [(m.lastgroup or "", m.start(), m.end()) for m in _matcher().finditer(text)]


def count_topics(texts: list[str | None]) -> tuple[Counter[str], dict[str, str]]:
    """Mentions per topic over many texts, and one masked example term per topic."""
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for text in texts:
        if not text:
            continue
        for topic, start, end in topic_hits(text):
            counts[topic] += 1
            examples.setdefault(topic, mask(text[start:end]))
    return counts, examples


def mask(value: str) -> str:
    """A value with all but its first and last characters hidden."""
    if len(value) <= 2:
        return "*" * len(value)
    keep = 2 if len(value) > 8 else 1
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]
