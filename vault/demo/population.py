"""Many people with known homes and workplaces, and their raw location fixes (for reveal tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np

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
STEP_S = 600  # one fix every ten minutes
M_PER_DEG = 111_320.0


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


def _offset(rng: np.random.Generator, lat: float, lon: float, sigma_m: float) -> tuple[float, float]:
    """A point normally spread around another, in metres."""
    dy, dx = rng.normal(0, sigma_m, 2)
    return lat + dy / M_PER_DEG, lon + dx / (M_PER_DEG * np.cos(np.radians(lat)))


def _person(pid: int, seed: int, days: int) -> PersonTrack:
    """Simulate one person: nights at home, weekdays at work, commutes, errands, GPS noise."""
    rng = np.random.default_rng([seed, pid])
    city, clat, clon, zone = CITIES[pid % len(CITIES)]
    home = _offset(rng, clat, clon, 4000)
    work = _offset(rng, clat, clon, 2500)
    utc_offset_h = ZoneInfo(zone).utcoffset(START.replace(tzinfo=None)).total_seconds() / 3600  # type: ignore[union-attr]
    n = days * 86_400 // STEP_S
    t = np.arange(n) * STEP_S + rng.integers(0, STEP_S, n)
    local_h = (t / 3600 + utc_offset_h) % 24
    day = ((t / 3600 + utc_offset_h) // 24).astype(np.int64)
    weekday = (day % 7) < 5
    start_h = 8.5 + rng.normal(0, 0.4, days)[np.minimum(day, days - 1)]
    end_h = 17.5 + rng.normal(0, 0.5, days)[np.minimum(day, days - 1)]
    commute_h = 0.5
    lat = np.full(n, home[0])
    lon = np.full(n, home[1])
    at_work = weekday & (local_h >= start_h) & (local_h < end_h)
    lat[at_work], lon[at_work] = work
    _commute(
        lat,
        lon,
        weekday & (local_h >= start_h - commute_h) & (local_h < start_h),
        (local_h - (start_h - commute_h)) / commute_h,
        home,
        work,
    )
    _commute(
        lat,
        lon,
        weekday & (local_h >= end_h) & (local_h < end_h + commute_h),
        (local_h - end_h) / commute_h,
        work,
        home,
    )
    errand_day = rng.random(days) < 0.35
    errand = errand_day[np.minimum(day, days - 1)] & (local_h >= 18.5) & (local_h < 19.5)
    shops = np.array([_offset(rng, home[0], home[1], 800) for _ in range(days)])
    lat[errand] = shops[day[errand] % days, 0]
    lon[errand] = shops[day[errand] % days, 1]
    noise = rng.normal(0, 15, (2, n))
    outlier = rng.random(n) < 0.02
    noise[:, outlier] *= 20
    lat = lat + noise[0] / M_PER_DEG
    lon = lon + noise[1] / (M_PER_DEG * np.cos(np.radians(home[0])))
    ts = (int(START.timestamp()) + t) * 1000
    return PersonTrack(pid, city, zone, home[0], home[1], work[0], work[1], ts.astype(np.int64), lat, lon)


def _commute(
    lat: np.ndarray,
    lon: np.ndarray,
    mask: np.ndarray,
    frac: np.ndarray,
    origin: tuple[float, float],
    dest: tuple[float, float],
) -> None:
    """Place fixes in `mask` along the straight way from origin to destination."""
    f = np.clip(frac[mask], 0, 1)
    lat[mask] = origin[0] + (dest[0] - origin[0]) * f
    lon[mask] = origin[1] + (dest[1] - origin[1]) * f


def population(n_people: int, *, seed: int = 1, days: int = 28) -> list[PersonTrack]:
    """`n_people` tracks over `days` days from a Monday, deterministic for a seed."""
    return [_person(pid, seed, days) for pid in range(n_people)]
