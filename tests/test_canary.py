"""Plaintext canary: vault content never reaches the disk outside an explicit export.

Distinctive strings go into the vault through real imports; then every command runs with HOME,
TMPDIR and the working folder pointed at folders this test owns; afterwards those folders and the
vault's folder are searched byte by byte. Every new command joins COMMANDS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSPHRASE

CANARY_TEXT = "zebracanary-q7x9-unmistakable"
CANARY_PLACE = "Canaryplatz 77 Zebrahausen"

# Each entry: the arguments of one command run after the import (`{src}` is the sources folder).
COMMANDS: list[list[str]] = [
    ["status"],
    ["status", "--json"],
    ["verify"],
    ["imports"],
    ["imports", "--json"],
    ["import", "{src}"],
    ["people"],
    ["people", "--json"],
    ["tables"],
    ["schema"],
    ["schema", "messages"],
    ["query", "SELECT text FROM messages"],
    ["query", "SELECT * FROM messages_named", "--format", "json"],
    ["query", "SELECT * FROM timeline ORDER BY ts", "--format", "markdown"],
    ["query", "SELECT count(*) FROM locations GROUP BY date_trunc('day', ts)", "--format", "jsonl"],
    ["query", "SELECT * FROM range(100000000) ORDER BY random()"],
    ["search", "zebracanary"],
    ["query", "SELECT * FROM search_hits('zebracanary')"],
    ["policy", "new", "messages"],
    ["policy", "check", "{policy}"],
    ["policy", "save", "{policy}"],
    ["policy", "list"],
    ["reveal", "--policy", "{policy}", "--format", "json"],
    ["reveal", "--policy", "{policy}", "--format", "text"],
    ["export", "--policy", "{policy}", "--out", "{out}/slice.csv", "--dry-run"],
    ["export", "--policy", "{policy}", "--out", "{out}/slice.csv"],
    ["contributions"],
    ["backup", "{work}/vault.backup"],
    ["rekey"],
    ["verify"],
    ["forget-import", "999"],
    ["forget-import", "1"],
]

# Commands expected to fail (they must still leave nothing behind).
MAY_FAIL = {("forget-import", "999"), ("query", "SELECT * FROM range(100000000) ORDER BY random()")}

POLICY = """\
name = "canary-share"
recipient = "lab"
dataset = "messages"

[columns.ts]
op = "truncate"
to = "day"

[columns.text]
op = "redact"
"""


def _sources(folder: Path) -> None:
    folder.mkdir()
    (folder / "WhatsApp Chat with Zed.txt").write_text(
        f"12/03/2024, 09:15 - Zed: morning, {CANARY_TEXT}\n"
        f"12/03/2024, 09:16 - Amy: meet at {CANARY_PLACE}?\n"
        "13/03/2024, 21:40 - Zed: ok\n",
        encoding="utf-8",
    )
    semantic = {
        "timelineObjects": [
            {
                "placeVisit": {
                    "location": {
                        "latitudeE7": 481372000,
                        "longitudeE7": 115756000,
                        "placeId": "ChIJcanary",
                        "address": CANARY_PLACE,
                        "name": CANARY_TEXT,
                    },
                    "duration": {
                        "startTimestamp": "2024-03-12T08:00:00Z",
                        "endTimestamp": "2024-03-12T09:00:00Z",
                    },
                    "placeConfidence": "HIGH_CONFIDENCE",
                }
            }
        ]
    }
    (folder / "2024_MARCH.json").write_text(json.dumps(semantic))


def _scan(roots: list[Path], skip: set[Path]) -> list[str]:
    needles = [s.encode() for s in (CANARY_TEXT, CANARY_PLACE)]
    needles += [s.encode("utf-16-le") for s in (CANARY_TEXT, CANARY_PLACE)]
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file() or any(path.is_relative_to(s) for s in skip):
                continue
            data = path.read_bytes()
            found += [f"{path}: {needle[:12]!r}" for needle in needles if needle in data]
    return found


def test_no_plaintext_reaches_the_disk(tmp_path: Path) -> None:
    src, home, tmp, work, vault_dir, out = (
        tmp_path / n for n in ("src", "home", "tmp", "work", "vault", "out")
    )
    _sources(src)
    for folder in (home, tmp, work, vault_dir, out):
        folder.mkdir()
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY)
    vault = vault_dir / "v.db"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local"),
        "COFFER_PASSPHRASE": PASSPHRASE,
        "TZ": "Europe/Berlin",
    }
    for key in ("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"):
        if key in os.environ:
            env[key] = os.environ[key]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "vault", *args, "--vault", str(vault)],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert run("init").returncode == 0
    report = run("import", str(src), "--json")
    assert report.returncode == 0, report.stderr
    assert all(f["status"] == "imported" for f in json.loads(report.stdout)), report.stdout
    for command in COMMANDS:
        places = {"{src}": str(src), "{policy}": str(policy), "{out}": str(out), "{work}": str(work)}
        args = list(command)
        for key, value in places.items():
            args = [arg.replace(key, value) for arg in args]
        result = run(*args)
        assert result.returncode == 0 or tuple(command) in MAY_FAIL, (command, result.stderr)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        assert CANARY_TEXT not in result.stderr, command
    assert _scan([src], skip=set()), "the scan must see the canaries where they are in plaintext"
    assert (out / "slice.csv").exists(), "the explicit export is the one plaintext file"
    leaks = _scan([home, tmp, work, vault_dir], skip={src, out})
    assert not leaks, leaks
