"""Stay points and home/work inference (vault.places) on small hand-made tracks."""

from __future__ import annotations

import time

import numpy as np

from tests.reveal.tracks import HOME, TZ, WORK, commuter_days
from vault.places import haversine_m, infer_home_work, stay_points


def test_haversine_matches_a_known_distance() -> None:
    # Berlin Alexanderplatz to Brandenburger Tor is about 2.6 km.
    d = haversine_m(52.5219, 13.4132, 52.5163, 13.3777)
    assert 2_400 < float(d) < 2_600


def test_haversine_broadcasts() -> None:
    d = haversine_m(np.array([0.0, 0.0]), np.array([0.0, 0.0]), 0.0, np.array([1.0, 0.0]))
    assert d.shape == (2,)
    assert abs(d[0] - 111_195) < 50 and d[1] == 0


def test_stays_alternate_between_home_and_work() -> None:
    ts, lat, lon = commuter_days(5)  # Monday to Friday
    stays = stay_points(ts, lat, lon)
    near_home = [float(haversine_m(s.lat, s.lon, *HOME)) < 100 for s in stays]
    near_work = [float(haversine_m(s.lat, s.lon, *WORK)) < 100 for s in stays]
    assert all(h or w for h, w in zip(near_home, near_work, strict=True))
    assert sum(near_work) == 5
    assert sum(near_home) == 6  # each night, plus Friday evening
    assert all(s.end_ms - s.start_ms >= 20 * 60_000 for s in stays)


def test_moving_points_make_no_stay() -> None:
    ts = np.arange(60, dtype=np.int64) * 60_000
    lat = 52.5 + np.arange(60) * 0.005  # 550 m a minute
    assert stay_points(ts, lat, np.full(60, 13.4)) == []


def test_home_and_work_found_with_support() -> None:
    ts, lat, lon = commuter_days(14)
    hw = infer_home_work(ts, lat, lon, TZ)
    assert hw.home is not None and hw.work is not None
    assert float(haversine_m(hw.home.lat, hw.home.lon, *HOME)) < 30
    assert float(haversine_m(hw.work.lat, hw.work.lon, *WORK)) < 30
    assert hw.work_days == 10
    assert hw.home_nights >= 14


def test_no_work_for_someone_who_stays_home() -> None:
    ts, lat, lon = commuter_days(7, work=HOME)
    hw = infer_home_work(ts, lat, lon, TZ)
    assert hw.home is not None and hw.work is None


def test_empty_input() -> None:
    empty = np.zeros(0)
    assert stay_points(empty, empty, empty) == []
    assert infer_home_work(empty, empty, empty, TZ).home is None


def test_a_million_points_in_well_under_two_seconds() -> None:
    ts, lat, lon = commuter_days(28)
    reps = 1_000_000 // len(ts) + 1
    span = int(ts[-1] - ts[0]) + 86_400_000
    big_ts = np.concatenate([ts + i * span for i in range(reps)])[:1_000_000]
    big_lat = np.tile(lat, reps)[:1_000_000]
    big_lon = np.tile(lon, reps)[:1_000_000]
    start = time.perf_counter()
    stays = stay_points(big_ts, big_lat, big_lon)
    elapsed = time.perf_counter() - start
    assert len(stays) > 1_000
    assert elapsed < 2.0, elapsed
