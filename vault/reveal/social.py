"""Posts, likes, follows and profile findings: verbatim public text, rare items, communities, facts."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from vault.reveal.inputs import RevealInputs, has, texts, time_column
from vault.reveal.lexicons import count_topics
from vault.reveal.report import Finding, Severity

VERBATIM_MIN_WORDS = 5  # a verbatim public text of five words or more is searchable
A8_ITEMS = 8  # A8: 8 ratings with approximate dates identify 99% of Netflix users
STRONG_FACTS = frozenset(
    {"email", "phone", "birth_date", "birthdate", "gender", "ip_address", "name", "address"}
)


def _is_public_table(inputs: RevealInputs) -> bool:
    """Whether the slice is of posts (text that was public on a platform)."""
    return inputs.dataset == "posts" or (has(inputs.before, "community") and has(inputs.before, "text"))


def _verbatim(after: pa.Table, before: pa.Table) -> dict[str, int]:
    """Post texts that leave word for word, long enough to be found with a search engine."""
    original = {t for t in texts(before, "text") if t} if has(before, "text") else set()
    kept = [t for t in texts(after, "text") if t and len(t.split()) >= VERBATIM_MIN_WORDS]
    return {"searchable_texts": sum(1 for t in kept if t in original or not original)}


def verbatim_finding(inputs: RevealInputs) -> Finding | None:
    """Verbatim public text is itself an identifier: one search finds the account."""
    if not _is_public_table(inputs) or not has(inputs.after, "text"):
        return None
    after = _verbatim(inputs.after, inputs.before)
    before = _verbatim(inputs.before, inputs.before)
    severity = Severity.HIGH if after["searchable_texts"] else Severity.LOW
    return Finding(
        "social.verbatim_text",
        "linkability",
        severity,
        "Public posts that leave word for word",
        after,
        before,
        None,
        "drop text, or redact text",
    )


def _items(table: pa.Table) -> dict[str, Any]:
    """Distinct liked/followed/saved items, and whether they carry times."""
    if not has(table, "target"):
        return {"distinct_items": 0}
    targets = {t for t in texts(table, "target") if t}
    return {"distinct_items": len(targets), "with_times": time_column(table) is not None}


def rare_items_finding(inputs: RevealInputs) -> Finding | None:
    """Sparse behaviour: a handful of liked or followed items singles a person out (A8)."""
    if not has(inputs.before, "target"):
        return None
    after = _items(inputs.after)
    n = after["distinct_items"]
    if n >= A8_ITEMS and after.get("with_times"):
        severity = Severity.HIGH
    else:
        severity = Severity.MEDIUM if n >= A8_ITEMS else Severity.LOW
    return Finding(
        "social.rare_items",
        "singling_out",
        severity,
        "Distinct liked, followed or saved items",
        {**after, "items_needed": A8_ITEMS},
        _items(inputs.before),
        "A8",
        "generalize target (keep categories), or truncate ts to month",
    )


def _communities(table: pa.Table) -> list[str | None]:
    """Community names (subreddits, groups) or followed targets of a table."""
    if has(table, "community"):
        return texts(table, "community")
    return texts(table, "target") if has(table, "target") else []


def communities_finding(inputs: RevealInputs) -> Finding | None:
    """Communities joined or followed that hint at sensitive traits (A11)."""
    names = _communities(inputs.after)
    if not names and not _communities(inputs.before):
        return None
    counts, examples = count_topics(names)
    before, _ = count_topics(_communities(inputs.before))
    return Finding(
        "social.sensitive_communities",
        "inference",
        Severity.HIGH if counts else Severity.LOW,
        "Communities that hint at sensitive traits",
        {
            "by_topic": dict(sorted(counts.items())),
            "distinct_communities": len(set(names) - {None}),
            "examples": examples,
        },
        {"by_topic": dict(sorted(before.items()))},
        "A11",
        "drop community, or suppress_rare",
    )


def _facts(table: pa.Table) -> dict[str, Any]:
    """Profile fact keys present (never their values)."""
    keys = sorted({k for k in texts(table, "key") if k}) if has(table, "key") else []
    return {"facts": table.num_rows if has(table, "key") else 0, "keys": keys}


def profile_finding(inputs: RevealInputs) -> Finding | None:
    """Every profile fact that leaves: e-mail, phone, birth date, gender, IPs, ad interests."""
    if inputs.dataset != "profile_facts" and not (has(inputs.before, "key", "value", "sensitivity")):
        return None
    after = _facts(inputs.after)
    strong = set(after["keys"]) & STRONG_FACTS
    severity = Severity.HIGH if strong else (Severity.MEDIUM if after["facts"] else Severity.LOW)
    return Finding(
        "social.profile_facts",
        "singling_out",
        severity,
        "Profile facts included",
        {**after, "identifying_keys": sorted(strong)},
        _facts(inputs.before),
        "A4",
        "filter key, or drop value",
    )


def social_findings(inputs: RevealInputs) -> list[Finding]:
    """Every posts/likes/follows/profile finding that the slice's columns allow."""
    found = [
        verbatim_finding(inputs),
        rare_items_finding(inputs),
        communities_finding(inputs),
        profile_finding(inputs),
    ]
    return [f for f in found if f is not None]
