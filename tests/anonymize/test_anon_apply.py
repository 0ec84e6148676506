"""Golden outputs of apply_policy on small tables, and the determinism of random draws."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import h3
import pyarrow as pa
import pytest

from vault.anonymize import AnonymizeError, OperatorContext, apply_policy, op_params
from vault.anonymize.keys import derive
from vault.anonymize.location_ops import zones_for
from vault.policy import load_policy

UTC = dt.UTC
DATA_KEY = b"\x07" * 32
HOME = (52.5200, 13.4050)


def _ctx(recipient: str, policy_sha: str) -> OperatorContext:
    key, seed = derive(DATA_KEY, recipient, policy_sha)
    return OperatorContext(
        pseudonym_key=key,
        seed=seed,
        known_names=("Anna Schmidt", "Owner Person"),
        owner_person_ids=frozenset({1}),
        places={"home": HOME},
        timezone="Europe/Berlin",
    )


def _expected_pseudonym(key: bytes, normalized: str) -> str:
    return hmac.new(key, b"pseudonym\x00" + normalized.encode(), hashlib.sha256).hexdigest()[:16]


MESSAGES = pa.table(
    {
        "ts": pa.array(
            [
                dt.datetime(2024, 5, 1, 9, 41, 7, tzinfo=UTC),
                dt.datetime(2024, 5, 1, 9, 59, tzinfo=UTC),
                dt.datetime(2024, 5, 2, 22, 15, tzinfo=UTC),
            ],
            pa.timestamp("us", tz="UTC"),
        ),
        "sender_id": pa.array([1, 2, 1], pa.int64()),
        "text": ["Hi Anna Schmidt, call me at +49 30 1234567", "ok", "mail owner@example.org"],
        "conversation_id": pa.array([7, 7, 8], pa.int64()),
    }
)
CHAT_POLICY = """
name = "chats"
recipient = "study-42"
dataset = "messages"

[columns.ts]
op = "truncate"
to = "hour"

[columns.sender_id]
op = "pseudonymize"

[[columns.text]]
op = "drop_others"

[[columns.text]]
op = "redact"

[columns.conversation_id]
"""


def test_chat_policy_golden() -> None:
    policy = load_policy(CHAT_POLICY)
    ctx = _ctx("study-42", policy.sha256)
    out = apply_policy(MESSAGES, policy, ctx)
    assert out.column_names == ["ts", "sender_id", "text", "conversation_id"]
    assert out.column("ts").to_pylist() == [
        dt.datetime(2024, 5, 1, 9, tzinfo=UTC),
        dt.datetime(2024, 5, 2, 22, tzinfo=UTC),
    ]
    owner = _expected_pseudonym(ctx.pseudonym_key, "1")
    assert out.column("sender_id").to_pylist() == [owner, owner]
    assert out.column("text").to_pylist() == ["Hi [NAME], call me at [PHONE]", "mail [EMAIL]"]
    assert out.column("conversation_id").to_pylist() == [7, 8]


LOCATIONS = pa.table(
    {
        "ts": pa.array([0, 1_800_000, 3_600_000, 5_400_000], pa.int64()),
        "lat": [52.5201, 52.5300, 48.8584, None],
        "lon": [13.4051, 13.4050, 2.2945, None],
    }
)
LOCATION_POLICY = """
name = "where"
recipient = "{recipient}"
dataset = "locations"

[columns.ts]
op = "truncate"
to = "hour"

[[columns.lat]]
op = "privacy_zone"
places = ["home"]
radius_m = 300.0
randomize = {randomize}

[[columns.lat]]
op = "snap"
res = 7
cell_column = "h3"

[columns.lon]

[columns.h3]
"""


def test_location_policy_golden() -> None:
    policy = load_policy(LOCATION_POLICY.format(recipient="r", randomize="false"))
    out = apply_policy(LOCATIONS, policy, _ctx("r", policy.sha256))
    # The first fix is 13 m from home (inside); 52.5300 is 1.1 km north (outside).
    assert out.column("ts").to_pylist() == [0, 3_600_000, 3_600_000]
    cells = [h3.latlng_to_cell(52.5300, 13.4050, 7), h3.latlng_to_cell(48.8584, 2.2945, 7), None]
    assert out.column("h3").to_pylist() == cells
    assert out.column("lat")[0].as_py() == pytest.approx(h3.cell_to_latlng(cells[0])[0])
    assert out.column_names == ["ts", "lat", "lon", "h3"]


def test_same_recipient_same_file_other_recipient_other_zone() -> None:
    text = LOCATION_POLICY.format(recipient="r", randomize="true")
    policy = load_policy(text)
    first = apply_policy(LOCATIONS, policy, _ctx("r", policy.sha256))
    again = apply_policy(LOCATIONS, policy, _ctx("r", policy.sha256))
    assert first.equals(again)
    zones = set()
    for recipient in ("a", "b", "c", "d"):
        ctx = _ctx(recipient, policy.sha256)
        zones.add(tuple(zones_for(op_params(policy.column_ops[1], policy), ctx)))
    assert len(zones) == 4


def test_trip_endpoints_inside_a_zone_are_nulled() -> None:
    trips = pa.table(
        {
            "start_lat": [52.5201, 48.0],
            "start_lon": [13.4051, 2.0],
            "end_lat": [48.0, 52.5199],
            "end_lon": [2.0, 13.4049],
        }
    )
    policy = load_policy(
        'name = "t"\nrecipient = "r"\ndataset = "trips"\n'
        '[columns.start_lat]\nop = "privacy_zone"\nplaces = ["home"]\nrandomize = false\n'
        "[columns.start_lon]\n"
        '[columns.end_lat]\nop = "privacy_zone"\nplaces = ["home"]\nrandomize = false\n'
        "[columns.end_lon]\n"
    )
    out = apply_policy(trips, policy, _ctx("r", policy.sha256))
    assert out.to_pydict() == {
        "start_lat": [None, 48.0],
        "start_lon": [None, 2.0],
        "end_lat": [48.0, None],
        "end_lon": [2.0, None],
    }


def test_unknown_place_fails_closed() -> None:
    policy = load_policy(LOCATION_POLICY.format(recipient="r", randomize="true").replace('"home"', '"work"'))
    with pytest.raises(AnonymizeError, match="work"):
        apply_policy(LOCATIONS, policy, _ctx("r", policy.sha256))


def test_shift_moves_start_and_end_together() -> None:
    table = pa.table(
        {"start_ts": pa.array([1_000_000], pa.int64()), "end_ts": pa.array([4_600_000], pa.int64())}
    )
    policy = load_policy(
        'name = "s"\nrecipient = "r"\ndataset = "trips"\n'
        '[columns.start_ts]\nop = "shift"\n[columns.end_ts]\nop = "shift"\n'
    )
    out = apply_policy(table, policy, _ctx("r", policy.sha256)).to_pydict()
    assert out["end_ts"][0] - out["start_ts"][0] == 3_600_000
    assert out["start_ts"][0] != 1_000_000


def test_suppress_rare_uses_the_quasi_identifiers() -> None:
    table = pa.table({"age": [34, 36, 38, 52], "city": ["Köln", "Köln", "Köln", "Köln"]})
    policy = load_policy(
        'name = "q"\nrecipient = "r"\ndataset = "people"\n'
        '[quasi_identifiers]\ncolumns = ["age", "city"]\n'
        '[[columns.age]]\nop = "generalize"\ninterval = 10\n'
        '[[columns.age]]\nop = "suppress_rare"\nk = 2\n'
        "[columns.city]\n"
    )
    out = apply_policy(table, policy, _ctx("r", policy.sha256))
    assert out.to_pydict() == {"age": ["[30, 40)"] * 3, "city": ["Köln"] * 3}


def _walk_out(fixes: int, step_m: float) -> pa.Table:
    """A walk due north from home, one fix a minute, `step_m` apart."""
    lat = [HOME[0] + i * step_m / 111_195.0 for i in range(fixes)]
    ts = pa.array([i * 60_000 for i in range(fixes)], pa.int64())
    return pa.table({"ts": ts, "lat": lat, "lon": [HOME[1]] * fixes})


def test_trim_ends_drop_a_random_stretch_of_each_trip_end() -> None:
    from vault.anonymize import geo

    text = LOCATION_POLICY.format(recipient="r", randomize="true").replace(
        "randomize = true", 'randomize = true\nends = "trim"'
    )
    policy = load_policy(text)
    ctx = _ctx("r", policy.sha256)
    walk = _walk_out(80, 25.0)
    zones = zones_for(op_params(policy.column_ops[1], policy), ctx)
    inside = int(geo.inside_zones(geo.as_floats(walk["lat"]), geo.as_floats(walk["lon"]), zones).sum())
    out = apply_policy(walk, policy, ctx)
    trimmed = 80 - inside - out.num_rows
    assert 100 / 25 - 1 <= trimmed <= 400 / 25 + 1  # a path of 100-400 m beyond the zone's edge
    assert out.equals(apply_policy(walk, policy, ctx))
    fixed = load_policy(LOCATION_POLICY.format(recipient="r", randomize="false"))
    fixed_ctx = _ctx("r", fixed.sha256)
    fixed_zones = zones_for(op_params(fixed.column_ops[1], fixed), fixed_ctx)
    fixed_inside = geo.inside_zones(geo.as_floats(walk["lat"]), geo.as_floats(walk["lon"]), fixed_zones)
    assert apply_policy(walk, fixed, fixed_ctx).num_rows == 80 - int(fixed_inside.sum())


def _errand() -> pa.Table:
    """An hour at home, a trip 2 km north to a shop, 40 minutes there, a trip 1.5 km east, a stay."""
    rows = [(i * 600_000, HOME[0], HOME[1]) for i in range(6)]
    rows += [(3_600_000 + i * 60_000, HOME[0] + (i + 0.5) * 0.00225, HOME[1]) for i in range(8)]
    shop = (HOME[0] + 0.018, HOME[1])
    rows += [(4_080_000 + i * 600_000, *shop) for i in range(5)]
    rows += [(6_480_000 + i * 60_000, shop[0], shop[1] + (i + 0.5) * 0.0037) for i in range(6)]
    rows += [(6_840_000 + i * 600_000, shop[0], shop[1] + 0.022) for i in range(5)]
    ts, lat, lon = zip(*rows, strict=True)
    return pa.table({"ts": pa.array(ts, pa.int64()), "lat": lat, "lon": lon})


ZONE_ONLY_POLICY = """
name = "where"
recipient = "r"
dataset = "locations"

[columns.lat]
op = "privacy_zone"
places = ["home"]
radius_m = 300.0
{extra}

[columns.lon]
"""


def test_randomised_zone_drops_whole_trips_from_home_by_default() -> None:
    errand = _errand()
    policy = load_policy(ZONE_ONLY_POLICY.format(extra=""))
    assert policy.columns == ("lat", "lon") and "ts" in policy.required_columns()
    out = apply_policy(errand, policy, _ctx("r", policy.sha256))
    # The home stay and the whole trip out are withheld; the shop, the next trip and stay are kept.
    assert out.column_names == ["lat", "lon"]
    assert out.num_rows == 5 + 6 + 5
    assert min(out.column("lat").to_pylist()) == pytest.approx(HOME[0] + 0.018)
    trimmed = load_policy(ZONE_ONLY_POLICY.format(extra='ends = "trim"'))
    assert apply_policy(errand, trimmed, _ctx("r", trimmed.sha256)).num_rows > 5 + 6 + 5
    only_inside = load_policy(ZONE_ONLY_POLICY.format(extra='ends = "none"\nrandomize = false'))
    assert apply_policy(errand, only_inside, _ctx("r", only_inside.sha256)).num_rows == 8 + 5 + 6 + 5 - 1
