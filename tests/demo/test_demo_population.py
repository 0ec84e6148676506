"""Population tracks: fast, deterministic, and people sleep where the truth says they live."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from vault.demo import population

M_PER_DEG = 111_320.0


def _dist_m(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    return np.hypot((lat - lat0) * M_PER_DEG, (lon - lon0) * M_PER_DEG * np.cos(np.radians(lat0)))


def _local_hour(ts_ms: np.ndarray, zone: str) -> np.ndarray:
    offset = ZoneInfo(zone).utcoffset(datetime(2024, 3, 4))
    assert offset is not None
    return ((ts_ms // 1000 / 3600) + offset.total_seconds() / 3600) % 24


def test_hundred_people_four_weeks_in_seconds() -> None:
    start = time.perf_counter()
    people = population(100, seed=3, days=28)
    assert time.perf_counter() - start < 5
    assert len(people) == 100
    assert all(28 * 144 <= len(p.ts_ms) <= 28 * 300 and np.all(np.diff(p.ts_ms) > 0) for p in people)


def test_deterministic_for_a_seed() -> None:
    a, b, c = population(3, seed=9), population(3, seed=9), population(3, seed=10)
    assert all(
        np.array_equal(x.lat, y.lat) and np.array_equal(x.ts_ms, y.ts_ms) for x, y in zip(a, b, strict=False)
    )
    assert not np.array_equal(a[0].lat, c[0].lat)


def test_nights_are_spent_at_the_true_home_and_weekdays_at_work() -> None:
    for person in population(40, seed=5, days=14):
        hour = _local_hour(person.ts_ms, person.zone)
        night = (hour >= 1) & (hour < 5)
        lat, lon = np.median(person.lat[night]), np.median(person.lon[night])
        assert _dist_m(np.array([lat]), np.array([lon]), person.home_lat, person.home_lon)[0] < 50
        day = (hour >= 11) & (hour < 15) & (((person.ts_ms // 86_400_000) + 3) % 7 < 5)
        wlat, wlon = np.median(person.lat[day]), np.median(person.lon[day])
        assert _dist_m(np.array([wlat]), np.array([wlon]), person.work_lat, person.work_lon)[0] < 50


def test_homes_spread_over_cities_and_neighbourhoods() -> None:
    people = population(80, seed=1)
    assert len({p.city for p in people}) >= 8
    berlin = [p for p in people if p.city == "Berlin"]
    spread = _dist_m(
        np.array([p.home_lat for p in berlin]), np.array([p.home_lon for p in berlin]), 52.52, 13.405
    )
    assert spread.max() > 1500
