"""The generated persona: deterministic, real-format files, and a ground truth that matches them."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import ijson
import pytest

from vault.demo import GroundTruth, generate

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"

# Header regexes per generated locale, each proven against a line of a real fixture below.
HEADERS = {
    "WhatsApp Chat with Kletter-Crew.txt": (r"\d{2}/\d{2}/\d{4}, \d{2}:\d{2} - ", "rwhatsapp__sample.txt"),
    "de": (r"\d{2}\.\d{2}\.\d{2}, \d{2}:\d{2} - ", "rwhatsapp__test-rwhatsapp_format_lines.txt"),
    "us": (
        r"\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}\u202f[AP]M - ",
        "whatsapp-chat-parser__parser.test_format_lines.txt",
    ),
    "es": (r"\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2} - ", "chat-analytics__2A_5M.txt"),
    "fr": (r"\d{2}/\d{2}/\d{4} à \d{2}:\d{2} - ", "rwhatsapp__test-rwhatsapp_format_lines.txt"),
    "ios": (r"\[\d{2}\.\d{2}\.\d{2}, \d{2}:\d{2}:\d{2}\] ", "langchain__whatsapp_chat.txt"),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GroundTruth]:
    out = tmp_path_factory.mktemp("demo")
    return out, generate(out, seed=1)


def _read(out: Path, where: str) -> bytes:
    """A file, or a member of a zip named as `archive.zip/member`."""
    if ".zip/" in where:
        archive, member = where.split(".zip/", 1)
        with zipfile.ZipFile(out / f"{archive}.zip") as z:
            return z.read(member)
    return (out / where).read_bytes()


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_writes_byte_identical_files(demo: tuple[Path, GroundTruth], tmp_path: Path) -> None:
    out, _ = demo
    generate(tmp_path / "again", seed=1)
    assert _digest(tmp_path / "again") == _digest(out)


def test_another_seed_is_another_person(demo: tuple[Path, GroundTruth], tmp_path: Path) -> None:
    other = generate(tmp_path / "two", seed=2)
    assert (other.home.lat, other.owner["name"]) != (demo[1].home.lat, demo[1].owner["name"])


def test_ground_truth_round_trips(demo: tuple[Path, GroundTruth]) -> None:
    out, truth = demo
    assert GroundTruth.load(out / "ground_truth.json") == truth


def test_default_scale_is_a_realistic_year(demo: tuple[Path, GroundTruth]) -> None:
    totals = demo[1].totals
    assert 30_000 <= totals["records"] <= 80_000
    assert totals["messages"] == sum(v for k, v in totals.items() if k.startswith("messages_"))


def test_records_json_count_and_fields(demo: tuple[Path, GroundTruth]) -> None:
    out, truth = demo
    [where] = [w for w in truth.files if w.endswith("Records.json")]
    items = list(ijson.items(io.BytesIO(_read(out, where)), "locations.item"))
    assert len(items) == truth.files[where]["locations"] == truth.totals["locations"]
    assert all(-90e7 <= i["latitudeE7"] <= 90e7 and i["timestamp"].endswith("Z") for i in items)
    stamps = [i["timestamp"] for i in items]
    assert stamps == sorted(stamps)


def test_semantic_history_counts(demo: tuple[Path, GroundTruth]) -> None:
    out, truth = demo
    visits = trips = 0
    for where, counts in truth.files.items():
        if "Semantic Location History" not in where:
            continue
        objects = json.loads(_read(out, where))["timelineObjects"]
        assert sum("placeVisit" in o for o in objects) == counts["visits"]
        assert sum("activitySegment" in o for o in objects) == counts["trips"]
        visits, trips = visits + counts["visits"], trips + counts["trips"]
    assert (visits, trips) == (truth.totals["visits"], truth.totals["trips"])


def test_timeline_json_android_shape(demo: tuple[Path, GroundTruth]) -> None:
    out, truth = demo
    doc = json.loads((out / "Timeline.json").read_text(encoding="utf-8"))
    counts = truth.files["Timeline.json"]
    segs = doc["semanticSegments"]
    assert sum("visit" in s for s in segs) == counts["visits"]
    assert sum("activity" in s for s in segs) == counts["trips"]
    assert sum(len(s.get("timelinePath", [])) for s in segs) == counts["path_points"]
    assert sum("position" in r for r in doc["rawSignals"]) == counts["raw_positions"]
    assert re.fullmatch(r"-?\d+\.\d{7}°, -?\d+\.\d{7}°", doc["rawSignals"][0]["position"]["LatLng"])
    labels = {p["label"] for p in doc["userLocationProfile"]["frequentPlaces"]}
    assert labels == {"HOME", "WORK"}
    assert (out / "Timeline.json").read_text(encoding="utf-8").startswith('{\n  "semanticSegments" : [ {')


def _whatsapp_files(truth: GroundTruth) -> list[str]:
    return [w for w in truth.files if w.endswith(".txt")]


def test_whatsapp_headers_match_real_formats(demo: tuple[Path, GroundTruth]) -> None:
    out, truth = demo
    for pattern, fixture in HEADERS.values():
        real = (FIXTURES / "whatsapp" / fixture).read_text(encoding="utf-8")
        assert re.search("^" + pattern, real, re.MULTILINE), fixture
    files = _whatsapp_files(truth)
    assert len(files) == 7
    matched = set()
    for where in files:
        text = _read(out, where).decode("utf-8")
        first = text.splitlines()[0]
        key = next(
            (
                k
                for k, (pattern, _) in HEADERS.items()
                if re.match(pattern, first) and (k != "es" or "Chat de WhatsApp" in where)
            ),
            None,
        )
        assert key, where
        matched.add(key)
        pattern = HEADERS[key][0]
        headers = len(re.findall("^" + pattern, text, re.MULTILINE))
        assert headers == truth.files[where]["messages"], where
    assert {"de", "us", "es", "fr", "ios"} <= matched


def test_telegram_counts(demo: tuple[Path, GroundTruth]) -> None:
    out, truth = demo
    doc = json.loads((out / "telegram" / "result.json").read_text(encoding="utf-8"))
    messages = [m for c in doc["chats"]["list"] for m in c["messages"]]
    counts = truth.files["telegram/result.json"]
    assert len(messages) == counts["messages"] == truth.totals["messages_telegram"]
    assert sum(m["type"] == "service" for m in messages) == counts["service"]
    assert all(m["from_id"].startswith("user") for m in messages if m["type"] == "message")
    phones = {c["phone_number"] for c in doc["contacts"]["list"]}
    shared = {s["shared"].get("phone") for s in truth.same_person if "telegram" in s["keys"]}
    assert len(shared - {None}) >= 3
    assert all(any(p.replace(" ", "") == s for p in phones) for s in shared - {None})


def test_meta_threads_are_mojibake_and_newest_first(demo: tuple[Path, GroundTruth]) -> None:
    out, truth = demo
    threads = [w for w in truth.files if w.endswith("message_1.json")]
    assert {w.split("/")[0].split("-")[0] for w in threads} == {"facebook", "instagram"}
    for where in threads:
        raw = _read(out, where).decode("ascii")  # Meta escapes every non-ASCII byte
        doc = json.loads(raw)
        stamps = [m["timestamp_ms"] for m in doc["messages"]]
        assert stamps == sorted(stamps, reverse=True)
        assert len(stamps) == truth.files[where]["messages"]
    assert "\\u00c3" in _read(out, threads[0]).decode("ascii")


def test_reddit_csv_rows(demo: tuple[Path, GroundTruth]) -> None:
    out, truth = demo
    with zipfile.ZipFile(out / "reddit.zip") as z:
        names = set(z.namelist())
        assert {
            "posts.csv",
            "comments.csv",
            "messages.csv",
            "post_votes.csv",
            "ip_logs.csv",
            "statistics.csv",
            "birthdate.csv",
            "account_gender.csv",
        } <= names
        header = z.read("comments.csv").decode().splitlines()[0]
        real = (FIXTURES / "reddit" / "potluck__reddit-synth-001_comments.csv").read_text().splitlines()[0]
        assert header == real
        for name in names:
            rows = list(csv.reader(io.StringIO(z.read(name).decode("utf-8"))))
            assert len(rows) - 1 == truth.files[f"reddit.zip/{name}"]["rows"], name


def test_x_archive_items(demo: tuple[Path, GroundTruth]) -> None:
    out, truth = demo
    with zipfile.ZipFile(out / "twitter.zip") as z:
        for name in z.namelist():
            text = z.read(name).decode("utf-8")
            prefix, _, body = text.partition(" = ")
            assert prefix.startswith(("window.YTD.", "window.__THAR_CONFIG")), name
            value = json.loads(body)
            if name != "data/manifest.js":
                assert len(value) == truth.files[f"twitter.zip/{name}"]["items"] or name.endswith(
                    ("direct-messages.js", "personalization.js")
                ), name
        dms = json.loads(z.read("data/direct-messages.js").decode().partition(" = ")[2])
        assert sum(len(c["dmConversation"]["messages"]) for c in dms) == truth.totals["messages_x"]


def test_vcard_cards(demo: tuple[Path, GroundTruth]) -> None:
    out, truth = demo
    text = (out / "contacts.vcf").read_bytes().decode("utf-8")
    assert text.count("BEGIN:VCARD\r\n") == truth.files["contacts.vcf"]["cards"]
    assert text.count("ENCODING=QUOTED-PRINTABLE") >= truth.files["contacts.vcf"]["quoted_printable"]


def _decoded(out: Path, where: str) -> str:
    data = _read(out, where)
    if where.startswith("telegram/"):  # text is repeated in text_entities: count messages
        chats = json.loads(data)["chats"]["list"]
        return "\n".join(str(m.get("text")) for c in chats for m in c["messages"])
    if where.endswith("message_1.json"):
        text = json.dumps(json.loads(data), ensure_ascii=False)
        return text.encode("latin-1").decode("utf-8")
    return data.decode("utf-8")


def test_planted_identifiers_occur_as_counted(demo: tuple[Path, GroundTruth]) -> None:
    out, truth = demo
    kinds = {p.type for p in truth.planted}
    assert {"phone", "email", "iban", "card", "address", "coordinates", "ip", "url", "name"} <= kinds
    for planted in truth.planted:
        assert _decoded(out, planted.where).count(planted.value) == planted.count, planted


def test_same_person_shares_identifiers(demo: tuple[Path, GroundTruth]) -> None:
    truth = demo[1]
    linked = [s for s in truth.same_person if s["shared"]]
    assert len(linked) >= 4
    unsaved = [s for s in linked if s["keys"].get("whatsapp", "").startswith("+")]
    assert unsaved and unsaved[0]["keys"]["whatsapp"].replace(" ", "") == unsaved[0]["shared"]["phone"]
