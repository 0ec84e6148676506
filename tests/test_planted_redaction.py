"""Every identifier the persona generator planted is redacted in a real export (issues 9 and 10)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from tests.conftest import Coffer

POLICY = """\
name = "redaction-check"
recipient = "lab"
dataset = "messages"

[columns.text]
op = "redact"
"""


def test_planted_identifiers_are_all_redacted(
    demo_vault: Coffer, demo_vault_master: Path, tmp_path: Path
) -> None:
    truth = json.loads((demo_vault_master.parent / "exports" / "ground_truth.json").read_text())
    policy = tmp_path / "p.toml"
    policy.write_text(POLICY)
    out = tmp_path / "out.csv"
    demo_vault.ok("export", "--policy", str(policy), "--out", str(out))
    exported = out.read_text(encoding="utf-8")
    planted, redacted = Counter(), Counter()
    for item in truth["planted"]:
        planted[item["type"]] += 1
        redacted[item["type"]] += item["value"] not in exported
    recall = {kind: redacted[kind] / planted[kind] for kind in planted}
    print("redaction recall per type:", recall)
    assert set(planted) >= {"phone", "email", "iban", "card", "ip", "url", "address", "coordinates", "name"}
    assert recall == dict.fromkeys(planted, 1.0)
