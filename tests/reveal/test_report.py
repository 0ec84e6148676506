"""Report rendering: the CONTRACTS.md JSON shape, severity in words, markdown tables."""

from __future__ import annotations

import json

import pytest

from vault.reveal.report import Finding, Report, Severity, render_markdown, render_text


def _report() -> Report:
    return Report(
        "share",
        10,
        4,
        (
            Finding("chat.topics", "inference", Severity.MEDIUM, "Topics", {"n": 3}, {"n": 5}, None, None),
            Finding(
                "location.home",
                "singling_out",
                Severity.HIGH,
                "Home",
                {"error_m": 12.5},
                {"error_m": 3.0},
                "A6",
                "snap res 7",
            ),
        ),
    )


def test_json_shape_is_the_contract() -> None:
    doc = json.loads(json.dumps(_report().to_json()))
    assert set(doc) >= {"policy", "rows_before", "rows_after", "worst_severity", "findings"}
    assert doc["worst_severity"] == "high"
    first = doc["findings"][0]
    assert set(first) >= {"id", "lens", "severity", "title", "measured", "before", "yardstick", "suggestion"}
    assert first["id"] == "location.home" and first["yardstick"] == "A6"


def test_text_names_severity_in_words_without_colour() -> None:
    text = render_text(_report(), color=False)
    assert "HIGH" in text and "MEDIUM" in text
    assert "[" not in text.splitlines()[2][:8]
    assert text.index("location.home") < text.index("chat.topics")
    assert "before policy: 3" in text


def test_colour_is_extra() -> None:
    text = render_text(_report(), color=True)
    assert "[bold red]HIGH" in text


def test_markdown_has_a_table_per_finding() -> None:
    md = render_markdown(_report())
    assert md.count("| figure | after policy | before policy |") == 2
    assert "## HIGH: Home" in md


def test_empty_report_is_low() -> None:
    r = Report("p", 0, 0)
    assert r.worst_severity is Severity.LOW
    assert "No findings." in render_text(r)


def test_unknown_lens_refused() -> None:
    with pytest.raises(ValueError):
        Finding("x", "guessing", Severity.LOW, "t")
