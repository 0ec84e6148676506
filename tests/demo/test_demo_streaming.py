"""The streaming path: --scale grows the files to the asked size; one-kind benchmark files."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import ijson

from vault.demo import generate, write_records_json, write_whatsapp_chat


def test_scale_grows_records_and_chats(tmp_path: Path) -> None:
    truth = generate(tmp_path, seed=4, scale=120_000)
    assert abs(truth.totals["records"] - 120_000) / 120_000 < 0.1
    [where] = [w for w in truth.files if w.endswith("Records.json")]
    archive, member = where.split(".zip/")
    with zipfile.ZipFile(tmp_path / f"{archive}.zip") as z:
        items = sum(1 for _ in ijson.items(io.BytesIO(z.read(member)), "locations.item"))
    assert items == truth.totals["locations"] > 100_000
    assert truth.totals["messages_whatsapp"] > 5_514


def test_write_records_json_exact_count(tmp_path: Path) -> None:
    path = tmp_path / "Records.json"
    write_records_json(path, 20_000, seed=2)
    with path.open("rb") as f:
        assert sum(1 for _ in ijson.items(f, "locations.item")) == 20_000


def test_write_whatsapp_chat_exact_count(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    write_whatsapp_chat(path, 20_000, seed=2)
    text = path.read_text(encoding="utf-8")
    headers = re.findall(r"^\d{2}/\d{2}/\d{4}, \d{2}:\d{2} - ", text, re.MULTILINE)
    assert len(headers) == 20_001  # one end-to-end notice
