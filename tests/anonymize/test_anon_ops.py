"""The pure operators: time, location, quasi-identifiers, numbers and text helpers."""

from __future__ import annotations

import datetime as dt
import math
import random

import h3
import numpy as np
import pyarrow as pa
import pytest

from vault.anonymize import geo, numbers, quasi, text, timeops

UTC = dt.UTC


def _ts(*values: dt.datetime | None) -> pa.Array:
    return pa.array(list(values), pa.timestamp("us", tz="UTC"))


def test_truncate_in_the_owner_zone() -> None:
    # 23:30 UTC on Sunday 10 March is 00:30 on Monday 11 March in Berlin.
    values = _ts(dt.datetime(2024, 3, 10, 23, 30, tzinfo=UTC), None)
    day = timeops.truncate(values, "day", "Europe/Berlin").to_pylist()
    assert day == [dt.datetime(2024, 3, 10, 23, 0, tzinfo=UTC), None]
    month = timeops.truncate(values, "month", "UTC").to_pylist()
    assert month[0] == dt.datetime(2024, 3, 1, tzinfo=UTC)
    week = timeops.truncate(values, "week", "UTC").to_pylist()
    assert week[0] == dt.datetime(2024, 3, 4, tzinfo=UTC)


def test_truncate_epoch_milliseconds() -> None:
    ms = int(dt.datetime(2024, 3, 10, 13, 45, 12, tzinfo=UTC).timestamp() * 1000)
    out = timeops.truncate(pa.array([ms], pa.int64()), "hour").to_pylist()
    assert out == [int(dt.datetime(2024, 3, 10, 13, tzinfo=UTC).timestamp() * 1000)]


def test_shift_keeps_intervals() -> None:
    start = _ts(dt.datetime(2024, 1, 1, 8, tzinfo=UTC))
    offset = timeops.draw_shift_ms(random.Random(1), 30, True)
    assert offset != 0 and offset % 86_400_000 == 0 and abs(offset) <= 30 * 86_400_000
    moved = timeops.shift(start, offset).to_pylist()[0]
    assert moved - dt.datetime(2024, 1, 1, 8, tzinfo=UTC) == dt.timedelta(milliseconds=offset)


def test_hour_of_week_counts_from_monday() -> None:
    values = _ts(dt.datetime(2024, 3, 11, 0, 30, tzinfo=UTC), dt.datetime(2024, 3, 17, 23, 0, tzinfo=UTC))
    assert timeops.hour_of_week(values, "UTC").to_pylist() == [0, 167]


def test_randomised_zone_keeps_the_place_inside_and_misses_it() -> None:
    place = (52.52, 13.405)
    for seed in range(200):
        (zone,) = geo.draw_zones([place], 400.0, True, random.Random(seed))
        miss = geo.haversine_m(np.array([place[0]]), np.array([place[1]]), zone.lat, zone.lon)[0]
        assert 400.0 <= zone.radius_m <= 600.0
        assert 0.5 * zone.radius_m - 0.5 <= miss <= 0.8 * zone.radius_m + 0.5


def test_fixed_zone_and_mask() -> None:
    (zone,) = geo.draw_zones([(52.52, 13.405)], 500.0, False, random.Random(0))
    assert (zone.lat, zone.lon, zone.radius_m) == (52.52, 13.405, 500.0)
    # 0.004 degrees of latitude is about 445 m, 0.005 about 556 m.
    lat = pa.array([52.524, 52.525, None, 10.0])
    lon = pa.array([13.405, 13.405, None, 10.0])
    assert geo.privacy_zone_mask(lat, lon, [zone]).to_pylist() == [False, True, True, True]


def _leg(t0_min: int, minutes: int, a: tuple[float, float], b: tuple[float, float], step: int) -> list:
    """(ts, lat, lon) every `step` minutes, at the middle of each step from a to b (a == b: a stay)."""
    n = max(minutes // step, 1)
    f = (np.arange(n) + 0.5) / n
    return [
        ((t0_min + i * step) * 60_000, a[0] + f[i] * (b[0] - a[0]), a[1] + f[i] * (b[1] - a[1]))
        for i in range(n)
    ]


def _day_out(home: tuple[float, float], shop: tuple[float, float], park: tuple[float, float]) -> tuple:
    """Home, a trip to a shop, a stay, a trip to a park, a stay, a trip home, home; and each fix's part."""
    parts = [
        ("home", _leg(0, 60, home, home, 10)),
        ("to_shop", _leg(60, 8, home, shop, 1)),
        ("shop", _leg(68, 30, shop, shop, 10)),
        ("to_park", _leg(98, 6, shop, park, 1)),
        ("park", _leg(104, 40, park, park, 10)),
        ("back", _leg(144, 10, park, home, 1)),
        ("home", _leg(154, 60, home, home, 10)),
    ]
    rows = [row for _, leg in parts for row in leg]
    labels = [name for name, leg in parts for _ in leg]
    arr = np.array(rows)
    return arr[:, 0].astype(np.int64), arr[:, 1], arr[:, 2], np.array(labels)


def test_zone_trips_are_withheld_whole_and_other_trips_and_stays_kept() -> None:
    home, shop, park = (52.52, 13.405), (52.538, 13.405), (52.538, 13.427)  # 2 km N, then 1.5 km E
    ts, lat, lon, part = _day_out(home, shop, park)
    inside = geo.inside_zones(lat, lon, [geo.Zone(*home, 500.0)])
    assert inside.any() and not inside[np.isin(part, ["shop", "to_park", "park"])].any()
    withheld = inside | geo.zone_trip_mask(ts, lat, lon, inside)
    kept = set(part[~withheld].tolist())
    assert kept == {"shop", "to_park", "park"}
    assert withheld[np.isin(part, ["home", "to_shop", "back"])].all()
    # Unsorted input and missing positions give the same answer for the fixes that have one.
    order = np.random.default_rng(0).permutation(len(ts))
    lat_gaps = lat.copy()
    lat_gaps[np.flatnonzero(part == "to_park")[0]] = np.nan
    with_gaps = geo.zone_trip_mask(ts, lat_gaps, lon, inside)
    assert set(part[~(inside | with_gaps)].tolist()) == {"shop", "to_park", "park"}
    shuffled = geo.zone_trip_mask(ts[order], lat_gaps[order], lon[order], inside[order])
    assert np.array_equal(shuffled, with_gaps[order])


def test_a_trip_that_crosses_a_zone_and_a_stay_that_touches_one_are_withheld() -> None:
    home, shop, park = (52.52, 13.405), (52.538, 13.405), (52.538, 13.427)
    ts, lat, lon, part = _day_out(home, shop, park)
    middle = ((shop[0] + park[0]) / 2, (shop[1] + park[1]) / 2)
    inside = geo.inside_zones(lat, lon, [geo.Zone(*middle, 200.0)])
    assert inside[part == "to_park"].any() and not inside[part != "to_park"].any()
    withheld = inside | geo.zone_trip_mask(ts, lat, lon, inside)
    assert set(part[withheld].tolist()) == {"to_park"}
    edge = geo.inside_zones(lat, lon, [geo.Zone(shop[0], shop[1] + 0.0012, 100.0)])  # 80 m from the shop
    assert edge[part == "shop"].all()
    withheld = edge | geo.zone_trip_mask(ts, lat, lon, edge)
    assert set(part[withheld].tolist()) == {"to_shop", "shop", "to_park"}


def test_zone_trip_mask_without_zone_fixes_or_stays() -> None:
    ts = np.arange(10, dtype=np.int64) * 60_000
    lat = 52.52 + np.arange(10) * 0.002  # a walk with no stay: one trip
    lon = np.full(10, 13.405)
    assert not geo.zone_trip_mask(ts, lat, lon, np.zeros(10, dtype=bool)).any()
    inside = np.arange(10) < 2
    assert (geo.zone_trip_mask(ts, lat, lon, inside) == ~inside).all()
    empty = np.zeros(0)
    assert len(geo.zone_trip_mask(empty.astype(np.int64), empty, empty, empty.astype(bool))) == 0


def test_snap_h3_matches_the_library() -> None:
    lat, lon = pa.array([48.8584, None]), pa.array([2.2945, None])
    new_lat, new_lon, cells = geo.snap_h3(lat, lon, 8)
    cell = h3.latlng_to_cell(48.8584, 2.2945, 8)
    assert cells.to_pylist() == [cell, None]
    assert (new_lat[0].as_py(), new_lon[0].as_py()) == pytest.approx(h3.cell_to_latlng(cell))
    assert new_lat[1].as_py() is None


def test_snap_grid_moves_at_most_half_a_diagonal() -> None:
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(-60, 60, 500), rng.uniform(-179, 179, 500)
    new_lat, new_lon = geo.snap_grid(pa.array(lat), pa.array(lon), 250.0)
    moved = geo.haversine_m(lat, lon, new_lat.to_numpy(), new_lon.to_numpy())
    assert moved.max() <= 250.0 * math.sqrt(2) / 2 + 1.0


def test_stays_only_keeps_the_stationary_points() -> None:
    minute = 60_000
    ts = np.arange(30) * minute
    lat = np.concatenate([np.full(15, 52.5), 52.5 + np.arange(1, 16) * 0.01])
    lon = np.full(30, 13.4)
    keep = geo.stay_mask(ts, lat, lon, 100.0, 10.0)
    assert keep[:15].all() and not keep[15:].any()


def test_generalize_and_suppress() -> None:
    assert quasi.generalize_interval(pa.array([34, 40, None]), 10).to_pylist() == [
        "[30, 40)",
        "[40, 50)",
        None,
    ]
    assert quasi.generalize_prefix(pa.array(["SW1A 1AA", "E1"]), 3).to_pylist() == ["SW1*", "E1"]
    years = quasi.generalize_date(_ts(dt.datetime(2021, 5, 1, tzinfo=UTC)), "year_month")
    assert years.to_pylist() == ["2021-05"]
    keep = quasi.rare_mask([pa.array(["a", "a", "b", None, None]), pa.array([1, 1, 1, 2, 2])], 2)
    assert keep.tolist() == [True, True, False, True, True]


def test_round_and_bin() -> None:
    assert numbers.round_values(pa.array([1234, 1299]), multiple=100).to_pylist() == [1200, 1300]
    assert numbers.round_values(pa.array([1.256]), digits=2).to_pylist() == [1.26]
    binned = numbers.bin_values(pa.array([5, 10, 150, None]), [10, 100])
    assert binned.to_pylist() == ["< 10", "[10, 100)", ">= 100", None]


def test_length_only_and_owner_mask() -> None:
    assert text.length_only(pa.array(["hello there", None])).to_pylist() == [11, None]
    assert text.length_only(pa.array([" a b  c "]), "words").to_pylist() == [3]
    assert text.owner_mask(pa.array([1, 2, None]), {1}).to_pylist() == [True, False, False]
