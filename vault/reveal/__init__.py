"""What a contribution reveals: findings on exactly the rows that would leave, before and after.

`build_report` dispatches on the columns present, so it works on any dataset or query result:
positions (lat, lon and a time) give the location findings, text gives the chat findings, posts,
interactions and profile facts give the social ones, quasi-identifiers give the tabular ones, and
the ledger gives the linkage ones. Missing columns skip the findings that need them.
"""

from __future__ import annotations

from vault.reveal.chats import chat_findings
from vault.reveal.inputs import LedgerEntry, RevealInputs, VaultTruth, has
from vault.reveal.linkage import fingerprints, linkage_findings, record_id_finding
from vault.reveal.location import (
    anonymity_finding,
    place_finding,
    points_finding,
    view,
    zone_finding,
)
from vault.reveal.report import Finding, Report, Severity, render_markdown, render_text
from vault.reveal.routine import absence_finding, routine_finding, visited_finding
from vault.reveal.social import social_findings
from vault.reveal.tabular import default_quasi_identifiers, tabular_findings

__all__ = [
    "Finding",
    "LedgerEntry",
    "Report",
    "RevealInputs",
    "Severity",
    "VaultTruth",
    "build_report",
    "fingerprints",
    "render_markdown",
    "render_text",
]


def location_findings(inputs: RevealInputs) -> list[Finding]:
    """Home, work, anonymity set, points, privacy-zone attack, routine, places and absences."""
    after = view(inputs, after=True)
    before = after if inputs.before is inputs.after else view(inputs, after=False)
    if after is None and before is None:
        return []
    truth, tz = inputs.truth, inputs.truth.timezone
    found = [
        place_finding("home", truth.home, after, before),
        place_finding("work", truth.work, after, before),
        anonymity_finding(after, before),
        points_finding(after, before),
        zone_finding(inputs, after),
        routine_finding(after, before, tz),
        visited_finding(after, before),
        absence_finding(after, before, truth.home or (after.places.home if after else None), tz),
    ]
    return [f for f in found if f is not None]


def build_report(inputs: RevealInputs) -> Report:
    """Every finding the slice's columns allow, on the rows before and after the policy."""
    findings = location_findings(inputs)
    if has(inputs.after, "text") and inputs.dataset != "posts":
        findings += chat_findings(inputs)
    findings += social_findings(inputs)
    qi = list(inputs.quasi_identifiers) or default_quasi_identifiers(inputs.dataset, inputs.after)
    findings += tabular_findings(inputs.before, inputs.after, qi, inputs.sensitive)
    if (ids := record_id_finding(inputs.before, inputs.after)) is not None:
        findings.append(ids)
    if inputs.ledger and inputs.after.num_rows:
        findings += linkage_findings(fingerprints(inputs.after), inputs.ledger, inputs.recipient)
    return Report(
        policy=inputs.policy_name,
        rows_before=inputs.before.num_rows,
        rows_after=inputs.after.num_rows,
        findings=tuple(findings),
    )
