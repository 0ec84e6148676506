"""Many people with known homes and workplaces, and their raw location fixes (for reveal tests).

Phones log about every minute while moving and every ten minutes while still. People commute on
weekdays, run errands and visit shops, a gym and friends in varied directions from home, and move
along a street grid (legs with turns), so trips leave home in many directions as real ones do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np

from vault.demo.routes import sample_move, sample_stay, staircase

# city, centre, zone
CITIES = [
    ("Berlin", 52.5200, 13.4050, "Europe/Berlin"),
    ("Hamburg", 53.5511, 9.9937, "Europe/Berlin"),
    ("Munich", 48.1351, 11.5820, "Europe/Berlin"),
    ("Paris", 48.8566, 2.3522, "Europe/Paris"),
    ("London", 51.5072, -0.1276, "Europe/London"),
    ("Madrid", 40.4168, -3.7038, "Europe/Madrid"),
    ("Vienna", 48.2082, 16.3738, "Europe/Vienna"),
    ("Amsterdam", 52.3676, 4.9041, "Europe/Amsterdam"),
]
START = datetime(2024, 3, 4, tzinfo=UTC)  # a Monday
M_PER_DEG = 111_320.0
HOUR = 3600.0
# (count, nearest, farthest metres from home) of the places a person goes to besides work
PLACE_RINGS = ((3, 300.0, 1_500.0), (1, 500.0, 3_000.0), (4, 1_000.0, 6_000.0))


@dataclass(frozen=True)
class PersonTrack:
    """One person's true home and work and their fixes (sorted by time)."""

    person_id: int
    city: str
    zone: str
    home_lat: float
    home_lon: float
    work_lat: float
    work_lon: float
    ts_ms: np.ndarray  # int64
    lat: np.ndarray  # float64
    lon: np.ndarray  # float64


class _Diary:
    """A person's movements in local metres around home and local seconds, built day by day."""

    def __init__(self, rng: np.random.Generator, grid_angle: float) -> None:
        self.rng, self.grid_angle = rng, grid_angle
        self.now, self.pos = 0.0, np.zeros(2)
        self.times: list[np.ndarray] = []
        self.xy: list[np.ndarray] = []

    def stay_until(self, t: float) -> None:
        """Stay where the person is until local second t."""
        if t > self.now:
            times, xy = sample_stay(self.rng, self.pos, self.now, t)
            self.times.append(times)
            self.xy.append(xy)
            self.now = t

    def go(self, dest: np.ndarray, depart: float, arrive_by: float | None = None) -> None:
        """Travel to dest, leaving at `depart` (or in time to arrive by `arrive_by`)."""
        route = staircase(self.rng, self.pos, dest, self.grid_angle)
        if arrive_by is not None:
            _, _, duration = sample_move(self.rng, route, 0.0)
            depart = arrive_by - duration
        self.stay_until(depart)
        times, xy, arrival = sample_move(self.rng, route, self.now)
        self.times.append(times)
        self.xy.append(xy)
        self.now, self.pos = arrival, dest


def _places(rng: np.random.Generator) -> np.ndarray:
    """Shops, a gym and friends' homes around home, in every direction, as local metres."""
    out = []
    for count, near, far in PLACE_RINGS:
        bearing = rng.uniform(0, 2 * np.pi, count)
        dist = rng.uniform(near, far, count)
        out.append(np.stack((dist * np.sin(bearing), dist * np.cos(bearing)), axis=1))
    return np.concatenate(out)


def _outing(diary: _Diary, places: np.ndarray, depart: float, hours: tuple[float, float]) -> None:
    """From home to one of the places, a stay there, and back home."""
    rng = diary.rng
    diary.go(places[rng.integers(len(places))], depart)
    diary.go(np.zeros(2), diary.now + rng.uniform(*hours) * HOUR)


def _day(diary: _Diary, day: int, work: np.ndarray, places: np.ndarray) -> None:
    """One day: commute and work on weekdays, errands and visits in the evening or at weekends."""
    rng, base = diary.rng, day * 24 * HOUR
    home = np.zeros(2)
    if day % 7 < 5:
        diary.go(work, 0.0, arrive_by=base + (8.5 + rng.normal(0, 0.4)) * HOUR)
        leave = base + (17.5 + rng.normal(0, 0.5)) * HOUR
        if rng.random() < 0.35:
            diary.go(places[rng.integers(len(places))], leave)
            diary.go(home, diary.now + rng.uniform(0.3, 1.0) * HOUR)
        else:
            diary.go(home, leave)
        evening = base + rng.uniform(19.0, 20.5) * HOUR
        if rng.random() < 0.3 and diary.now < evening:
            _outing(diary, places, evening, (1.0, 2.5))
    else:
        _outing(diary, places, base + rng.uniform(10.0, 12.0) * HOUR, (1.0, 3.0))
        afternoon = base + rng.uniform(15.0, 18.0) * HOUR
        if rng.random() < 0.6 and diary.now < afternoon:
            _outing(diary, places, afternoon, (1.0, 2.0))


def _to_metres(lat: float, lon: float, home: tuple[float, float]) -> np.ndarray:
    """A position as local metres east and north of home."""
    return np.array([(lon - home[1]) * M_PER_DEG * np.cos(np.radians(home[0])), (lat - home[0]) * M_PER_DEG])


def _offset(rng: np.random.Generator, lat: float, lon: float, sigma_m: float) -> tuple[float, float]:
    """A point normally spread around another, in metres."""
    dy, dx = rng.normal(0, sigma_m, 2)
    return lat + dy / M_PER_DEG, lon + dx / (M_PER_DEG * np.cos(np.radians(lat)))


def _person(pid: int, seed: int, days: int) -> PersonTrack:
    """Simulate one person's days, then add GPS noise and occasional outliers."""
    rng = np.random.default_rng([seed, pid])
    city, clat, clon, zone = CITIES[pid % len(CITIES)]
    home = _offset(rng, clat, clon, 4000)
    work = _offset(rng, clat, clon, 2500)
    utc_offset = ZoneInfo(zone).utcoffset(START.replace(tzinfo=None))
    assert utc_offset is not None
    diary = _Diary(rng, rng.uniform(0, np.pi / 2))
    places = _places(rng)
    for day in range(days):
        _day(diary, day, _to_metres(*work, home), places)
    diary.stay_until(days * 24 * HOUR)
    local_s = np.concatenate(diary.times)
    xy = np.concatenate(diary.xy)
    order = np.argsort(local_s, kind="stable")
    ts = (START.timestamp() + local_s[order] - utc_offset.total_seconds()) * 1000
    ts_ms, first = np.unique(ts.astype(np.int64), return_index=True)
    xy = xy[order][first]
    noise = rng.normal(0, 15, (len(xy), 2))
    outlier = rng.random(len(xy)) < 0.02
    noise[outlier] *= 20
    xy = xy + noise
    lat = home[0] + xy[:, 1] / M_PER_DEG
    lon = home[1] + xy[:, 0] / (M_PER_DEG * np.cos(np.radians(home[0])))
    return PersonTrack(pid, city, zone, home[0], home[1], work[0], work[1], ts_ms, lat, lon)


def population(n_people: int, *, seed: int = 1, days: int = 28) -> list[PersonTrack]:
    """`n_people` tracks over `days` days from a Monday, deterministic for a seed."""
    return [_person(pid, seed, days) for pid in range(n_people)]
