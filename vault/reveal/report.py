"""Findings, the report that holds them, and its JSON, text and markdown renderings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

LENSES = ("singling_out", "inference", "linkability")


class Severity(StrEnum):
    """How much a finding reveals; ordered low < medium < high."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0, 1 or 2, for comparisons."""
        return ("low", "medium", "high").index(self.value)


SEVERITY_COLOR = {Severity.LOW: "green", Severity.MEDIUM: "yellow", Severity.HIGH: "red"}


@dataclass(frozen=True)
class Finding:
    """One thing the slice reveals, measured after the policy and before it."""

    id: str
    lens: str
    severity: Severity
    title: str
    measured: dict[str, Any] = field(default_factory=dict)
    before: dict[str, Any] = field(default_factory=dict)
    yardstick: str | None = None
    suggestion: str | None = None

    def __post_init__(self) -> None:
        if self.lens not in LENSES:
            raise ValueError(f"unknown lens {self.lens!r}")

    def to_json(self) -> dict[str, Any]:
        """The finding in the CONTRACTS.md shape."""
        return {
            "id": self.id,
            "lens": self.lens,
            "severity": self.severity.value,
            "title": self.title,
            "measured": self.measured,
            "before": self.before,
            "yardstick": self.yardstick,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Report:
    """All findings for one policy, on the rows before and after it."""

    policy: str
    rows_before: int
    rows_after: int
    findings: tuple[Finding, ...] = ()

    @property
    def worst_severity(self) -> Severity:
        """The highest severity among the findings (low when there are none)."""
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=Severity.LOW)

    def sorted_findings(self) -> list[Finding]:
        """Findings, most severe first, then by id."""
        return sorted(self.findings, key=lambda f: (-f.severity.rank, f.id))

    def to_json(self) -> dict[str, Any]:
        """The report in the CONTRACTS.md shape."""
        return {
            "policy": self.policy,
            "rows_before": self.rows_before,
            "rows_after": self.rows_after,
            "worst_severity": self.worst_severity.value,
            "findings": [f.to_json() for f in self.sorted_findings()],
        }


def _fmt(value: Any) -> str:
    """A compact human rendering of a measured value."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


def _pairs(measured: dict[str, Any], before: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(key, after, before) rows for every key in either dict."""
    keys = list(measured) + [k for k in before if k not in measured]
    return [
        (k, _fmt(measured[k]) if k in measured else "-", _fmt(before[k]) if k in before else "-")
        for k in keys
    ]


def _tag(severity: Severity, color: bool) -> str:
    """The severity word, padded, optionally in colour (rich markup)."""
    word = f"{severity.value.upper():<6}"
    return f"[bold {SEVERITY_COLOR[severity]}]{word}[/]" if color else word


def render_text(report: Report, color: bool = False) -> str:
    """Plain text (or rich markup when color) for a terminal; severity always in words."""
    head = (
        f"Reveal report for policy {report.policy!r}: {report.rows_after} of "
        f"{report.rows_before} rows would leave; worst: {_tag(report.worst_severity, color).strip()}"
    )
    lines = [head, ""]
    for f in report.sorted_findings():
        lines.append(f"{_tag(f.severity, color)} {f.id} ({f.lens}): {f.title}")
        for key, after, before in _pairs(f.measured, f.before):
            lines.append(f"         {key}: {after}  (before policy: {before})")
        extra = [
            f"yardstick {f.yardstick}" if f.yardstick else "",
            f"try: {f.suggestion}" if f.suggestion else "",
        ]
        if any(extra):
            lines.append("         " + "; ".join(e for e in extra if e))
    if not report.findings:
        lines.append("No findings.")
    return "\n".join(lines) + "\n"


def _md_cell(text: str) -> str:
    """Escape a value for a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    """A markdown document: a summary line and one table per finding."""
    lines = [
        f"# Reveal report: {_md_cell(report.policy)}",
        "",
        f"{report.rows_after} of {report.rows_before} rows would leave. "
        f"Worst severity: **{report.worst_severity.value.upper()}**.",
        "",
    ]
    for f in report.sorted_findings():
        lines += _md_finding(f)
    return "\n".join(lines) + "\n"


def _md_finding(f: Finding) -> list[str]:
    """The markdown section for one finding."""
    out = [f"## {f.severity.value.upper()}: {_md_cell(f.title)}", ""]
    meta = [f"`{f.id}`", f"lens: {f.lens}"]
    if f.yardstick:
        meta.append(f"yardstick: {f.yardstick}")
    if f.suggestion:
        meta.append(f"try: {_md_cell(f.suggestion)}")
    out += [", ".join(meta), "", "| figure | after policy | before policy |", "|---|---|---|"]
    out += [f"| {_md_cell(k)} | {_md_cell(a)} | {_md_cell(b)} |" for k, a, b in _pairs(f.measured, f.before)]
    return [*out, ""]


def worst(severities: Sequence[Severity]) -> Severity:
    """The highest of several severities (low for none)."""
    return max(severities, key=lambda s: s.rank, default=Severity.LOW)
