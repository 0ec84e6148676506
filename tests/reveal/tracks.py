"""Tiny hand-made tracks for unit tests: a few days of home, commute and work (not a generator)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

HOME = (52.5200, 13.4050)
WORK = (52.5300, 13.3800)
TZ = "Europe/Berlin"


def _segment(
    start: datetime, minutes: int, a: tuple[float, float], b: tuple[float, float], step_min: int
) -> list[tuple[int, float, float]]:
    """Fixes every step_min minutes moving linearly from a to b (a == b is a stay)."""
    n = max(minutes // step_min, 1)
    out = []
    for i in range(n):
        f = i / n
        t = start + timedelta(minutes=i * step_min)
        out.append((int(t.timestamp() * 1000), a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])))
    return out


def commuter_days(
    days: int = 10,
    *,
    home: tuple[float, float] = HOME,
    work: tuple[float, float] = WORK,
    noise_m: float = 15.0,
    seed: int = 0,
    first_day: datetime | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A commuter: nights at home, weekdays 9-17 at work, 30-minute commutes, GPS noise."""
    zone = ZoneInfo(TZ)
    day0 = first_day or datetime(2024, 3, 4, tzinfo=zone)  # a Monday
    rows: list[tuple[int, float, float]] = []
    for d in range(days):
        midnight = day0 + timedelta(days=d)
        if midnight.weekday() < 5:
            rows += _segment(midnight, 8 * 60 + 30, home, home, 5)
            rows += _segment(midnight + timedelta(hours=8, minutes=30), 30, home, work, 1)
            rows += _segment(midnight + timedelta(hours=9), 8 * 60, work, work, 5)
            rows += _segment(midnight + timedelta(hours=17), 30, work, home, 1)
            rows += _segment(midnight + timedelta(hours=17, minutes=30), 6 * 60 + 30, home, home, 5)
        else:
            rows += _segment(midnight, 24 * 60, home, home, 5)
    arr = np.array(rows)
    rng = np.random.default_rng(seed)
    deg = noise_m / 111_000
    lat = arr[:, 1] + rng.normal(0, deg, len(arr))
    lon = arr[:, 2] + rng.normal(0, deg / np.cos(np.radians(home[0])), len(arr))
    return arr[:, 0].astype(np.int64), lat, lon


def star_days(
    days: int = 20, *, home: tuple[float, float] = HOME, speed_mps: float = 8.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Days out from home in a new direction each day: night at home, a trip out, a stay, back."""
    rng = np.random.default_rng(seed)
    zone = ZoneInfo(TZ)
    day0 = datetime(2024, 3, 4, tzinfo=zone)
    rows: list[tuple[int, float, float]] = []
    for d in range(days):
        midnight = day0 + timedelta(days=d)
        bearing = rng.uniform(0, 2 * np.pi)
        dist = rng.uniform(2000, 5000)
        dest = (
            home[0] + dist * np.cos(bearing) / 111_000,
            home[1] + dist * np.sin(bearing) / (111_000 * np.cos(np.radians(home[0]))),
        )
        ride = int(dist / speed_mps / 60)
        rows += _segment(midnight, 9 * 60, home, home, 15)
        rows += _segment(midnight + timedelta(hours=9), ride, home, dest, 1)
        rows += _segment(midnight + timedelta(hours=9, minutes=ride), 4 * 60, dest, dest, 15)
        back = midnight + timedelta(hours=13, minutes=ride)
        rows += _segment(back, ride, dest, home, 1)
        rows += _segment(back + timedelta(minutes=ride), 24 * 60 - 13 * 60 - 2 * ride, home, home, 15)
    arr = np.array(rows)
    lat = arr[:, 1] + rng.normal(0, 10 / 111_000, len(arr))
    lon = arr[:, 2] + rng.normal(0, 10 / 68_000, len(arr))
    return arr[:, 0].astype(np.int64), lat, lon
