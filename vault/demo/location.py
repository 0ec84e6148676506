"""Raw location fixes along the persona's segments, allocated to hit an exact count."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import NamedTuple

import numpy as np

from vault.demo.routine import Segment

STAY_INTERVAL_S = 900.0  # a fix every ~15 min while still (Google's low-power rhythm)
MOVE_INTERVAL_S = 60.0  # every minute while moving


class Fix(NamedTuple):
    """One raw fix as the phone recorded it."""

    ts_ms: int
    lat_e7: int
    lon_e7: int
    accuracy: int
    source: str  # GPS, WIFI, CELL
    velocity: int | None
    heading: int | None
    altitude: int | None
    activity: str | None  # STILL, WALKING, ON_BICYCLE, IN_VEHICLE...


ACTIVITY_OF_MODE = {
    "WALKING": "WALKING",
    "CYCLING": "ON_BICYCLE",
    "IN_SUBWAY": "IN_VEHICLE",
    "IN_BUS": "IN_VEHICLE",
    "IN_TRAIN": "IN_VEHICLE",
    "IN_PASSENGER_VEHICLE": "IN_VEHICLE",
}


def weight(seg: Segment) -> float:
    """Expected fixes in a segment at the default rhythm (none in flight)."""
    seconds = (seg.end_ms - seg.start_ms) / 1000
    if seg.kind == "stay":
        return seconds / STAY_INTERVAL_S
    return 0.0 if seg.mode == "FLYING" else seconds / MOVE_INTERVAL_S


def allocate(segments: Sequence[Segment], total: int) -> list[int]:
    """Split `total` fixes over segments in proportion to their weight, summing exactly."""
    weights = [weight(s) for s in segments]
    scale = total / sum(weights)
    counts, cumulative, given = [], 0.0, 0
    for w in weights:
        cumulative += w * scale
        target = round(cumulative)
        counts.append(target - given)
        given = target
    return counts


def default_location_count(segments: Sequence[Segment]) -> int:
    """Fixes the default rhythm gives for these segments."""
    return round(sum(weight(s) for s in segments))


def segment_fixes(seed: int, index: int, seg: Segment, n: int) -> list[Fix]:
    """The `n` fixes of one segment, drawn from a generator keyed by seed and segment."""
    if n <= 0:
        return []
    rng = np.random.default_rng([seed, index])
    span = seg.end_ms - seg.start_ms
    step = span / n
    offsets = (np.arange(n) + 0.5 + rng.uniform(-0.3, 0.3, n)) * step
    times = (seg.start_ms + offsets).astype(np.int64)
    if seg.kind == "stay":
        return _stay_fixes(rng, seg, times)
    return _move_fixes(rng, seg, times)


def _stay_fixes(rng: np.random.Generator, seg: Segment, times: np.ndarray) -> list[Fix]:
    """Noisy fixes around a place, mostly from Wi-Fi."""
    n = len(times)
    acc = rng.integers(8, 40, n)
    lat = seg.place.lat + rng.normal(0, 1, n) * acc * 0.5 / 111_320
    lon = seg.place.lon + rng.normal(0, 1, n) * acc * 0.5 / (111_320 * math.cos(math.radians(seg.place.lat)))
    sources = rng.choice(np.array(["WIFI", "WIFI", "WIFI", "GPS", "CELL"]), n)
    still = rng.random(n) < 0.35
    return [
        Fix(
            int(times[i]),
            round(lat[i] * 1e7),
            round(lon[i] * 1e7),
            int(acc[i]),
            str(sources[i]),
            None,
            None,
            None,
            "STILL" if still[i] else None,
        )
        for i in range(n)
    ]


def _move_fixes(rng: np.random.Generator, seg: Segment, times: np.ndarray) -> list[Fix]:
    """GPS fixes along a gently curved path from origin to destination."""
    origin = seg.origin or seg.place
    n = len(times)
    frac = (times - seg.start_ms) / max(seg.end_ms - seg.start_ms, 1)
    bend = np.sin(frac * math.pi) * rng.uniform(-0.08, 0.08)
    dlat, dlon = seg.place.lat - origin.lat, seg.place.lon - origin.lon
    lat = origin.lat + dlat * frac - dlon * bend + rng.normal(0, 4e-5, n)
    lon = origin.lon + dlon * frac + dlat * bend + rng.normal(0, 6e-5, n)
    acc = rng.integers(3, 16, n)
    speed = rng.uniform(0.7, 1.3, n) * _speed(seg.mode)
    heading = int(math.degrees(math.atan2(dlon, dlat))) % 360
    alt = rng.integers(30, 60, n)
    activity = ACTIVITY_OF_MODE.get(seg.mode or "", "UNKNOWN")
    with_activity = rng.random(n) < 0.5
    return [
        Fix(
            int(times[i]),
            round(lat[i] * 1e7),
            round(lon[i] * 1e7),
            int(acc[i]),
            "GPS",
            int(speed[i]),
            heading,
            int(alt[i]),
            activity if with_activity[i] else None,
        )
        for i in range(n)
    ]


def _speed(mode: str | None) -> float:
    """Typical speed of a mode in m/s."""
    return {"WALKING": 1.4, "CYCLING": 4.5, "IN_SUBWAY": 9.0, "IN_BUS": 6.0}.get(mode or "", 8.0)


def iter_fixes(seed: int, segments: Sequence[Segment], counts: Sequence[int]) -> Iterator[Fix]:
    """Every fix of the period in time order, one segment at a time."""
    for index, (seg, n) in enumerate(zip(segments, counts, strict=True)):
        yield from segment_fixes(seed, index, seg, n)
