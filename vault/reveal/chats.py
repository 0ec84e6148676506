"""Chat findings: identifiers left in text, other people, writing style, topics, rhythm, graph."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa

from vault.anonymize.identifiers import IdentifierFinder
from vault.reveal.inputs import RevealInputs, has, texts, time_column, times_ms
from vault.reveal.lexicons import count_topics, mask
from vault.reveal.report import Finding, Severity
from vault.reveal.routine import circular_window

STRONG_KINDS = frozenset({"phone", "email", "iban", "card", "coordinates", "name", "address"})
EXAMPLES_PER_KIND = 2
# A10: 97-99% top-1 among ~100 candidates with 500+ short texts; below 100 texts attribution is weak.
STYLE_HIGH_MESSAGES = 500
STYLE_MEDIUM_MESSAGES = 100
TOPIC_HIGH_MENTIONS = 10
QUIET_SHARE = 0.01  # an hour with under 1% of the messages is a quiet (sleep) hour
RHYTHM_MIN_MESSAGES = 100
GRAPH_MEDIUM_PEOPLE = 10  # A9: a graph of ten or more people has a re-identifiable topology


def identifier_counts(values: list[str | None], finder: IdentifierFinder) -> dict[str, Any]:
    """Identifiers found per kind, with a few masked examples each."""
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for text in values:
        if not text:
            continue
        for hit in finder.find(text):
            counts[hit.kind] += 1
            seen = examples.setdefault(hit.kind, [])
            if len(seen) < EXAMPLES_PER_KIND:
                seen.append(mask(text[hit.start : hit.end]))
    return {"total": sum(counts.values()), "by_kind": dict(sorted(counts.items())), "examples": examples}


def identifiers_finding(inputs: RevealInputs, finder: IdentifierFinder) -> Finding:
    """Identifiers (phones, e-mails, IBANs, names of contacts...) still in the text (A12)."""
    after = identifier_counts(texts(inputs.after, "text"), finder)
    before = identifier_counts(texts(inputs.before, "text"), finder) if has(inputs.before, "text") else {}
    kinds = set(after["by_kind"])
    severity = Severity.HIGH if kinds & STRONG_KINDS else (Severity.MEDIUM if kinds else Severity.LOW)
    return Finding(
        "chat.identifiers",
        "singling_out",
        severity,
        "Identifiers left in message text",
        after,
        {k: v for k, v in before.items() if k != "examples"},
        "A12",
        "redact text",
    )


def _senders(table: pa.Table) -> list[str | None]:
    """Sender of every row as text (ids, pseudonyms or names)."""
    return texts(table, "sender_id") if has(table, "sender_id") else [None] * table.num_rows


def _owner_keys(inputs: RevealInputs) -> set[str]:
    """The owner's sender values as they appear before the policy."""
    return {str(i) for i in inputs.truth.owner_person_ids}


def others_figures(table: pa.Table, owner: set[str], finder: IdentifierFinder) -> dict[str, Any]:
    """Other people in a table: how many, their share of the text, whether their names show."""
    senders, bodies = _senders(table), texts(table, "text")
    other_chars = total_chars = 0
    others: set[str] = set()
    for sender, body in zip(senders, bodies, strict=True):
        length = len(body or "")
        total_chars += length
        if sender is not None and sender not in owner:
            others.add(sender)
            other_chars += length
    names = sum(1 for b in bodies if b and any(h.kind == "name" for h in finder.find(b)))
    return {
        "other_people": len(others),
        "others_text_share": round(other_chars / total_chars, 4) if total_chars else 0.0,
        "messages_naming_contacts": names,
    }


def others_finding(inputs: RevealInputs, finder: IdentifierFinder) -> Finding | None:
    """Other people in the slice (their consent is not the owner's to give)."""
    if not has(inputs.after, "sender_id") and not has(inputs.before, "sender_id"):
        return None
    owner = _owner_keys(inputs)
    after = others_figures(inputs.after, owner, finder)
    before = others_figures(inputs.before, owner, finder)
    if after["messages_naming_contacts"] and after["others_text_share"] > 0:
        severity = Severity.HIGH
    else:
        severity = Severity.MEDIUM if after["others_text_share"] > 0 else Severity.LOW
    return Finding(
        "chat.other_people",
        "inference",
        severity,
        "Other people's messages and names",
        after,
        before,
        None,
        "drop_others, pseudonymize sender_id, redact text",
    )


def _owner_style(table: pa.Table, owner: set[str]) -> dict[str, int]:
    """The owner's message and word counts (all rows when senders are unknown or pseudonymised)."""
    senders, bodies = _senders(table), texts(table, "text")
    mine = [b for s, b in zip(senders, bodies, strict=True) if b and (not owner or s is None or s in owner)]
    if owner and not mine:
        mine = [b for b in bodies if b]
    return {"messages": len(mine), "words": sum(len(b.split()) for b in mine)}


def style_finding(inputs: RevealInputs) -> Finding:
    """How much of the owner's writing leaves: enough for authorship attribution (A10)."""
    owner = _owner_keys(inputs)
    after, before = _owner_style(inputs.after, owner), _owner_style(inputs.before, owner)
    n = after["messages"]
    if n >= STYLE_HIGH_MESSAGES:
        severity, band = Severity.HIGH, "500+"
    elif n >= STYLE_MEDIUM_MESSAGES:
        severity, band = Severity.MEDIUM, "100-499"
    else:
        severity, band = Severity.LOW, "<100"
    return Finding(
        "chat.stylometry",
        "linkability",
        severity,
        "Enough of the owner's writing to attribute it",
        {**after, "band": band},
        before,
        "A10",
        "drop text (keep length), or sample fewer messages",
    )


def topics_finding(inputs: RevealInputs) -> Finding:
    """Sensitive topics by lexicon: health, religion, politics, sexuality, finances (A11)."""
    counts, examples = count_topics(texts(inputs.after, "text"))
    before, _ = count_topics(texts(inputs.before, "text")) if has(inputs.before, "text") else (Counter(), {})
    top = max(counts.values(), default=0)
    severity = Severity.HIGH if top >= TOPIC_HIGH_MENTIONS else (Severity.MEDIUM if top else Severity.LOW)
    return Finding(
        "chat.sensitive_topics",
        "inference",
        severity,
        "Sensitive topics mentioned",
        {"mentions": dict(sorted(counts.items())), "examples": examples},
        {"mentions": dict(sorted(before.items()))},
        "A11",
        "redact text, or drop text",
    )


def _rhythm(table: pa.Table, tz: str) -> dict[str, Any]:
    """Messages per local hour, and the quiet (sleep) window."""
    name = time_column(table)
    if name is None or table.num_rows == 0:
        return {}
    ts = times_ms(table, name)
    zone = ZoneInfo(tz)
    offset = np.array([_offset_ms(int(t), zone) for t in ts[:: max(len(ts) // 500, 1)]], dtype=np.int64)
    local = ts + int(np.median(offset))
    hours = np.bincount((local // 3_600_000) % 24, minlength=24)
    quiet = hours < QUIET_SHARE * len(ts)
    weekdays = np.bincount(((local // 86_400_000) + 3) % 7, minlength=7)
    return {
        "messages": len(ts),
        "quiet_hours": circular_window(quiet) if len(ts) >= RHYTHM_MIN_MESSAGES else None,
        "weekend_share": round(float(weekdays[5:].sum() / len(ts)), 3),
        "busiest_hour": int(np.argmax(hours)),
    }


def _offset_ms(ts: int, zone: ZoneInfo) -> int:
    """UTC offset of a zone at an instant in ms."""
    off = datetime.fromtimestamp(ts / 1000, tz=UTC).astimezone(zone).utcoffset()
    return int(off.total_seconds() * 1000) if off else 0


def rhythm_finding(inputs: RevealInputs) -> Finding | None:
    """The time-of-day and weekday rhythm: time zone and sleep show through."""
    after = _rhythm(inputs.after, inputs.truth.timezone)
    if not after:
        return None
    severity = Severity.MEDIUM if after.get("quiet_hours") else Severity.LOW
    return Finding(
        "chat.rhythm",
        "inference",
        severity,
        "Daily and weekly messaging rhythm",
        after,
        _rhythm(inputs.before, inputs.truth.timezone),
        None,
        "truncate ts to day",
    )


def _graph(table: pa.Table) -> dict[str, int]:
    """Distinct people and conversations in a table."""
    people = {s for s in _senders(table) if s is not None}
    convs = set(texts(table, "conversation_id")) if has(table, "conversation_id") else set()
    return {"people": len(people), "conversations": len(convs - {None})}


def graph_finding(inputs: RevealInputs) -> Finding | None:
    """The size of the interaction graph the slice exposes (A9)."""
    if not has(inputs.after, "sender_id") and not has(inputs.after, "conversation_id"):
        return None
    after = _graph(inputs.after)
    severity = Severity.MEDIUM if after["people"] >= GRAPH_MEDIUM_PEOPLE else Severity.LOW
    return Finding(
        "chat.interaction_graph",
        "linkability",
        severity,
        "Interaction graph (who talks to whom)",
        after,
        _graph(inputs.before),
        "A9",
        "drop conversation_id, drop_others",
    )


def chat_findings(inputs: RevealInputs) -> list[Finding]:
    """Every chat finding that the slice's columns allow."""
    names = (*inputs.truth.contact_names, *inputs.truth.owner_names)
    finder = IdentifierFinder(names)
    found: list[Finding | None] = [
        identifiers_finding(inputs, finder),
        others_finding(inputs, finder),
        style_finding(inputs),
        topics_finding(inputs),
        rhythm_finding(inputs),
        graph_finding(inputs),
    ]
    return [f for f in found if f is not None]
