"""build_report dispatches on columns: location, chat, social, tabular and linkage findings."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pyarrow as pa

from tests.reveal.tracks import HOME, TZ, WORK, commuter_days
from vault.places import LatLon
from vault.reveal import LedgerEntry, RevealInputs, VaultTruth, build_report, fingerprints

TRUTH = VaultTruth(
    home=LatLon(*HOME),
    work=LatLon(*WORK),
    timezone=TZ,
    contact_names=("Anna Schmidt",),
    owner_person_ids=frozenset({1}),
)


def _locations(days: int = 14) -> pa.Table:
    ts, lat, lon = commuter_days(days)
    return pa.table({"ts": pa.array(ts).cast(pa.timestamp("ms", tz="UTC")), "lat": lat, "lon": lon})


def _ids(report: object) -> dict[str, object]:
    return {f.id: f for f in report.findings}  # type: ignore[attr-defined]


def test_raw_locations_reveal_home_and_work() -> None:
    table = _locations()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        report = build_report(RevealInputs("p", "locations", table, table, TRUTH))
    assert out.getvalue() == ""  # the geocoder's chatter stays off stdout
    found = _ids(report)
    assert found["location.home"].severity.value == "high"
    assert found["location.home"].measured["error_m"] < 50
    assert found["location.work"].severity.value == "high"
    assert found["location.home_work_anonymity_set"].measured["anonymity_set"] < 5
    assert found["location.spatiotemporal_points"].measured["points"] >= 4
    assert report.worst_severity.value == "high"


def test_snapping_coarsely_lowers_home_finding() -> None:
    before = _locations()
    lat = np.round(before.column("lat").to_numpy() / 0.2) * 0.2  # ~20 km grid
    lon = np.round(before.column("lon").to_numpy() / 0.2) * 0.2
    after = before.set_column(1, "lat", pa.array(lat)).set_column(2, "lon", pa.array(lon))
    found = _ids(build_report(RevealInputs("p", "locations", before, after, TRUTH)))
    assert found["location.home"].severity.value != "high"
    assert found["location.home"].before["error_m"] < 50
    assert found["location.home_work_anonymity_set"].severity.value != "high"


def test_dropping_coordinates_skips_location_findings() -> None:
    before = _locations(3)
    after = before.drop_columns(["lat", "lon"])
    found = _ids(build_report(RevealInputs("p", "locations", before, after, TRUTH)))
    assert "location.home" in found  # computed on the before side
    assert found["location.home"].measured["found"] is False


def _messages(text: str) -> pa.Table:
    n = 120
    return pa.table(
        {
            "ts": pa.array([1_709_500_000_000 + i * 3_600_000 for i in range(n)]).cast(
                pa.timestamp("ms", tz="UTC")
            ),
            "sender_id": [1 if i % 2 else 2 for i in range(n)],
            "conversation_id": [7] * n,
            "text": [text if i % 6 == 0 else "see you later" for i in range(n)],
        }
    )


def test_chat_findings_count_identifiers_and_topics() -> None:
    before = _messages("call Anna Schmidt on +49 30 12345678, her doctor said the loan is fine")
    after = _messages("call [name] on [phone], her doctor said the loan is fine")
    found = _ids(build_report(RevealInputs("c", "messages", before, after, TRUTH)))
    ident = found["chat.identifiers"]
    assert ident.before["by_kind"] == {"name": 20, "phone": 20}
    assert ident.measured["total"] == 0 and ident.severity.value == "low"
    topics = found["chat.sensitive_topics"].measured["mentions"]
    assert topics == {"finances": 20, "health": 20}
    assert "doctor" not in str(found["chat.sensitive_topics"].measured["examples"])
    assert found["chat.other_people"].measured["other_people"] == 1
    assert found["chat.stylometry"].measured["messages"] == 60


def test_people_table_gets_tabular_findings() -> None:
    people = pa.table({"id": [1, 2, 3], "display_name": ["A", "B", "C"], "is_self": [True, False, False]})
    found = _ids(build_report(RevealInputs("p", "people", people, people)))
    assert found["table.k_anonymity"].measured["k"] == 1


def test_profile_facts_list_keys_never_values() -> None:
    facts = pa.table(
        {"key": ["email", "ad_interest"], "value": ["a@b.c", "cats"], "sensitivity": ["high", "low"]}
    )
    found = _ids(build_report(RevealInputs("p", "profile_facts", facts, facts)))
    f = found["social.profile_facts"]
    assert f.severity.value == "high" and f.measured["identifying_keys"] == ["email"]
    assert "a@b.c" not in str(f.to_json())


def test_linkage_with_an_earlier_contribution() -> None:
    table = _messages("the same long sentence leaves twice in two slices")
    earlier = LedgerEntry(3, "other-lab", 0, fingerprints(table))
    found = _ids(
        build_report(RevealInputs("c", "messages", table, table, TRUTH, ledger=(earlier,), recipient="lab"))
    )
    link = found["linkage.contribution_3"]
    assert link.severity.value == "high"
    assert set(link.measured["joinable_through"]) == {"timestamps", "pseudonyms", "shingles"}


def test_unrelated_contribution_is_not_linked() -> None:
    table = _messages("one text")
    other = pa.table(
        {"ts": pa.array([1]).cast(pa.timestamp("ms", tz="UTC")), "text": ["nothing alike here at all"]}
    )
    earlier = LedgerEntry(4, "lab", 0, fingerprints(other))
    found = _ids(build_report(RevealInputs("c", "messages", table, table, TRUTH, ledger=(earlier,))))
    assert not any(k.startswith("linkage.") for k in found)


def test_record_ids_kept_as_stored_are_a_finding_and_pseudonyms_are_not() -> None:
    before = _messages("hello").append_column("id", pa.array(range(6_000_000, 6_000_120), pa.int64()))
    found = _ids(build_report(RevealInputs("c", "messages", before, before, TRUTH)))
    ids = found["linkage.record_ids"]
    assert ids.severity.value == "medium" and ids.measured == {"columns": ["id"], "rows": 120}
    hidden = before.set_column(4, "id", pa.array([f"p{i}" for i in range(120)]))
    assert "linkage.record_ids" not in _ids(
        build_report(RevealInputs("c", "messages", before, hidden, TRUTH))
    )
    dropped = before.drop_columns(["id"])
    assert "linkage.record_ids" not in _ids(
        build_report(RevealInputs("c", "messages", before, dropped, TRUTH))
    )
