"""Policies, reveal and export from the command line, on the seeded demo vault."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import stat
from pathlib import Path

from tests.conftest import Coffer, assert_one_error_line

CHAT_POLICY = """\
name = "chats-for-research"
recipient = "study-42"
dataset = "messages"

[filter]
platforms = ["whatsapp", "telegram"]
since = "2023-01-01"

[columns.ts]
op = "truncate"
to = "hour"

[columns.sender_id]
op = "pseudonymize"

[columns.text]
op = "redact"

[columns.kind]
"""

LOCATION_POLICY = """\
name = "places-for-study"
recipient = "mobility-lab"
dataset = "locations"

[columns.ts]
op = "truncate"
to = "hour"

[columns.lat]
op = "snap"
res = 7

[columns.lon]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_policy_new_prints_a_template_that_checks(demo_vault: Coffer, tmp_path: Path) -> None:
    template = demo_vault.ok("policy", "new", "messages").out
    assert "pseudonymize" in template and "redact" in template
    demo_vault.ok("policy", "check", str(write(tmp_path, "new.toml", template)))


def test_policy_check_names_the_line_key_and_choices(demo_vault: Coffer, tmp_path: Path) -> None:
    bad = CHAT_POLICY.replace('op = "truncate"', 'op = "trunc"')
    result = demo_vault("policy", "check", str(write(tmp_path, "bad.toml", bad)))
    assert_one_error_line(result, 2)
    assert "line" in result.err and "trunc" in result.err and "truncate" in result.err


def test_bad_policies_exit_2_and_write_nothing(demo_vault: Coffer, tmp_path: Path) -> None:
    out = tmp_path / "out" / "slice.csv"
    out.parent.mkdir()
    bad_policies = {
        "unknown column": CHAT_POLICY + "\n[columns.shoe_size]\n",
        "unknown operator": CHAT_POLICY.replace('op = "redact"', 'op = "scramble"'),
        "wrong type": CHAT_POLICY.replace('to = "hour"', "to = 3"),
        "write statement": 'name = "x"\nrecipient = "y"\nquery = "DELETE FROM messages"\ncolumns = ["id"]\n',
        "bad sql": 'name = "x"\nrecipient = "y"\nquery = "SELEKT * FROM messages"\ncolumns = ["id"]\n',
        "not toml": "name = \n",
    }
    for label, text in bad_policies.items():
        result = demo_vault("export", "--policy", str(write(tmp_path, "p.toml", text)), "--out", str(out))
        assert result.code == 2, (label, result.err)
        assert_one_error_line(result, 2)
        assert list(out.parent.iterdir()) == [], label
    assert json.loads(demo_vault.ok("contributions", "--json").out) == []


def test_reveal_json_has_the_contract_shape(demo_vault: Coffer, tmp_path: Path) -> None:
    report = json.loads(
        demo_vault.ok(
            "reveal", "--policy", str(write(tmp_path, "c.toml", CHAT_POLICY)), "--format", "json"
        ).out
    )
    assert set(report) >= {"policy", "rows_before", "rows_after", "worst_severity", "findings"}
    assert report["policy"] == "chats-for-research" and report["rows_after"] > 0
    for finding in report["findings"]:
        assert set(finding) >= {
            "id",
            "lens",
            "severity",
            "title",
            "measured",
            "before",
            "yardstick",
            "suggestion",
        }
        assert finding["lens"] in ("singling_out", "inference", "linkability")
        assert finding["severity"] in ("low", "medium", "high")
    text = demo_vault.ok("reveal", "--policy", str(tmp_path / "c.toml"), "--format", "text").out
    assert any(word in text for word in ("HIGH", "MEDIUM", "LOW"))


def test_export_writes_a_private_slice_manifest_and_ledger_entry(demo_vault: Coffer, tmp_path: Path) -> None:
    policy = write(tmp_path, "c.toml", CHAT_POLICY)
    out = tmp_path / "slice.csv"
    demo_vault.ok("export", "--policy", str(policy), "--out", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows and list(rows[0]) == ["ts", "sender_id", "text", "kind"]
    assert all(r["ts"].endswith(":00:00Z") for r in rows)
    assert not any(r["sender_id"].isdigit() for r in rows)
    manifest = json.loads((tmp_path / "slice.manifest.json").read_text())
    assert manifest["file_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert manifest["rows"] == len(rows) and manifest["policy"]["name"] == "chats-for-research"
    assert "findings" not in json.dumps(manifest)
    ledger = json.loads(demo_vault.ok("contributions", "--json").out)
    assert len(ledger) == 1 and ledger[0]["rows"] == len(rows) and ledger[0]["recipient"] == "study-42"


def test_the_same_policy_for_the_same_recipient_gives_the_same_file(
    demo_vault: Coffer, tmp_path: Path
) -> None:
    policy = write(tmp_path, "c.toml", CHAT_POLICY)
    for name in ("a.csv", "b.csv"):
        demo_vault.ok("export", "--policy", str(policy), "--out", str(tmp_path / name))
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    other = write(tmp_path, "o.toml", CHAT_POLICY.replace("study-42", "someone-else"))
    demo_vault.ok("export", "--policy", str(other), "--out", str(tmp_path / "c.csv"))
    assert (tmp_path / "c.csv").read_bytes() != (tmp_path / "a.csv").read_bytes()


def test_dry_run_writes_nothing(demo_vault: Coffer, tmp_path: Path) -> None:
    policy = write(tmp_path, "l.toml", LOCATION_POLICY)
    out = tmp_path / "loc.csv"
    demo_vault.ok("export", "--policy", str(policy), "--out", str(out), "--dry-run")
    assert not out.exists() and not (tmp_path / "loc.manifest.json").exists()
    assert json.loads(demo_vault.ok("contributions", "--json").out) == []


def test_max_severity_refuses_a_revealing_export(demo_vault: Coffer, tmp_path: Path) -> None:
    raw = 'name = "raw"\nrecipient = "anyone"\ndataset = "locations"\ncolumns = ["ts", "lat", "lon"]\n'
    out = tmp_path / "raw.csv"
    result = demo_vault(
        "export",
        "--policy",
        str(write(tmp_path, "raw.toml", raw)),
        "--out",
        str(out),
        "--max-severity",
        "low",
    )
    assert_one_error_line(result, 1)
    assert "HIGH" in result.err or "MEDIUM" in result.err
    assert not out.exists()


def test_parquet_export(demo_vault: Coffer, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "loc.parquet"
    demo_vault.ok(
        "export",
        "--policy",
        str(write(tmp_path, "l.toml", LOCATION_POLICY)),
        "--out",
        str(out),
        "--format",
        "parquet",
    )
    table = pq.read_table(out)
    assert table.num_rows > 1000 and "lat" in table.column_names


def test_saved_policies_live_in_the_vault(demo_vault: Coffer, tmp_path: Path) -> None:
    demo_vault.ok("policy", "save", str(write(tmp_path, "l.toml", LOCATION_POLICY)))
    assert "places-for-study" in demo_vault.ok("policy", "list").out
    assert demo_vault.ok("policy", "show", "places-for-study").out == LOCATION_POLICY
    assert_one_error_line(demo_vault("policy", "show", "nope"), 2)
