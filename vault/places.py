"""Stay points and the owner's home and work, inferred from raw location fixes.

Stay points are found in two vectorised steps and one short loop: fixes are binned into a metric
grid whose cell is the stay radius, consecutive fixes in the same cell form runs (numpy), and
consecutive runs whose centroids lie within the radius of the growing stay are merged (a loop over
runs, which are far fewer than fixes). Home and work are the night-time and weekday-daytime modes
of the stay points in local time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_M = 6_371_008.8
MS_PER_HOUR = 3_600_000
MS_PER_MINUTE = 60_000
NIGHT_HOURS = frozenset({22, 23, 0, 1, 2, 3, 4, 5})
WORK_HOURS = frozenset(range(9, 17))
PLACE_RADIUS_M = 200.0
PLACE_CELL_M = 100.0
MIN_WORK_DAYS = 3
MIN_WORK_DISTANCE_M = 250.0

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class LatLon(NamedTuple):
    """A WGS84 position."""

    lat: float
    lon: float


class Stay(NamedTuple):
    """A stay: the owner remained within a radius of one place for a while."""

    start_ms: int
    end_ms: int
    lat: float
    lon: float
    n_points: int


@dataclass(frozen=True)
class HomeWork:
    """The owner's inferred home and work, and how many nights and workdays support them."""

    home: LatLon | None
    work: LatLon | None
    home_nights: int
    work_days: int


def haversine_m(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance in metres, broadcast over numpy arrays."""
    p1, p2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, float) - np.asarray(lon1, float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def _project(lat: FloatArray, lon: FloatArray, lat0: float) -> tuple[FloatArray, FloatArray]:
    """Equirectangular projection to metres around latitude lat0 (fine at city scale)."""
    k = np.pi / 180 * EARTH_RADIUS_M
    return lon * k * np.cos(np.radians(lat0)), lat * k


def _cell_runs(x: FloatArray, y: FloatArray, cell_m: float) -> tuple[IntArray, IntArray]:
    """Start and end (exclusive) indices of runs of consecutive fixes in the same grid cell."""
    ix = np.floor(x / cell_m).astype(np.int64)
    iy = np.floor(y / cell_m).astype(np.int64)
    change = np.flatnonzero((ix[1:] != ix[:-1]) | (iy[1:] != iy[:-1])) + 1
    starts = np.concatenate(([0], change)).astype(np.int64)
    ends = np.concatenate((change, [len(x)])).astype(np.int64)
    return starts, ends


def stay_points(
    ts_ms: npt.ArrayLike,
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    *,
    radius_m: float = 150.0,
    min_minutes: float = 20.0,
) -> list[Stay]:
    """Stays of at least `min_minutes` within `radius_m` of their centroid, in time order."""
    ts = np.asarray(ts_ms, dtype=np.int64)
    la, lo = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    if len(ts) == 0:
        return []
    order = np.argsort(ts, kind="stable")
    ts, la, lo = ts[order], la[order], lo[order]
    lat0 = float(np.median(la))
    x, y = _project(la, lo, lat0)
    starts, ends = _cell_runs(x, y, radius_m)
    counts = ends - starts
    sx, sy = np.add.reduceat(x, starts), np.add.reduceat(y, starts)
    merged = _merge_runs(sx, sy, counts, ts[starts], ts[ends - 1], radius_m)
    min_ms = min_minutes * MS_PER_MINUTE
    k = np.pi / 180 * EARTH_RADIUS_M
    coslat = np.cos(np.radians(lat0))
    return [
        Stay(int(t0), int(t1), float(my / k), float(mx / (k * coslat)), int(n))
        for t0, t1, mx, my, n in merged
        if t1 - t0 >= min_ms
    ]


def _merge_runs(
    sx: FloatArray,
    sy: FloatArray,
    counts: IntArray,
    t_first: IntArray,
    t_last: IntArray,
    radius_m: float,
) -> list[tuple[int, int, float, float, int]]:
    """Merge consecutive runs whose centroid lies within the radius of the current stay."""
    out: list[tuple[int, int, float, float, int]] = []
    r2 = radius_m * radius_m
    cx, cy, cn = float(sx[0]), float(sy[0]), int(counts[0])
    t0, t1 = int(t_first[0]), int(t_last[0])
    for rx, ry, rn, f, la in zip(
        sx[1:].tolist(),
        sy[1:].tolist(),
        counts[1:].tolist(),
        t_first[1:].tolist(),
        t_last[1:].tolist(),
        strict=True,
    ):
        dx, dy = rx / rn - cx / cn, ry / rn - cy / cn
        if dx * dx + dy * dy <= r2:
            cx, cy, cn, t1 = cx + rx, cy + ry, cn + rn, la
            continue
        out.append((t0, t1, cx / cn, cy / cn, cn))
        cx, cy, cn, t0, t1 = rx, ry, rn, f, la
    out.append((t0, t1, cx / cn, cy / cn, cn))
    return out


def stay_hour_minutes(stays: Sequence[Stay], tz: str) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """Split stays into local clock hours: (stay index, local hour, minutes, local day number)."""
    if not stays:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), empty
    zone = ZoneInfo(tz)
    start = np.array([s.start_ms for s in stays], dtype=np.int64)
    end = np.array([s.end_ms for s in stays], dtype=np.int64)
    offset = np.array([_offset_ms(s.start_ms, zone) for s in stays], dtype=np.int64)
    first = (start + offset) // MS_PER_HOUR
    last = (end + offset - 1) // MS_PER_HOUR
    n_bins = np.maximum(last - first + 1, 1)
    idx = np.repeat(np.arange(len(stays), dtype=np.int64), n_bins)
    step = np.arange(int(n_bins.sum()), dtype=np.int64) - np.repeat(np.cumsum(n_bins) - n_bins, n_bins)
    local_hour_abs = first[idx] + step
    bin_start = local_hour_abs * MS_PER_HOUR
    lo = np.maximum(start[idx] + offset[idx], bin_start)
    hi = np.minimum(end[idx] + offset[idx], bin_start + MS_PER_HOUR)
    minutes = np.maximum(hi - lo, 0) / MS_PER_MINUTE
    return idx, local_hour_abs % 24, minutes, local_hour_abs // 24


def _offset_ms(ts_ms: int, zone: ZoneInfo) -> int:
    """The zone's UTC offset at an instant, in milliseconds."""
    delta = datetime.fromtimestamp(ts_ms / 1000, tz=UTC).astimezone(zone).utcoffset()
    return int(delta.total_seconds() * 1000) if delta else 0


def weekday_of(local_day: IntArray) -> IntArray:
    """Monday=0 weekday of a local day number counted from 1970-01-01 (a Thursday)."""
    return (local_day + 3) % 7


def _mode_place(lat: FloatArray, lon: FloatArray, weight: FloatArray) -> tuple[LatLon, BoolArray] | None:
    """The weighted spatial mode: the place whose surroundings hold the most weight."""
    keep = weight > 0
    if not keep.any():
        return None
    la, lo, w = lat[keep], lon[keep], weight[keep]
    x, y = _project(la, lo, float(np.median(la)))
    cells = np.stack((np.floor(x / PLACE_CELL_M), np.floor(y / PLACE_CELL_M)), axis=1)
    _, inverse = np.unique(cells, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    cw = np.bincount(inverse, weights=w)
    clat = np.bincount(inverse, weights=w * la) / cw
    clon = np.bincount(inverse, weights=w * lo) / cw
    dist = haversine_m(clat[:, None], clon[:, None], clat[None, :], clon[None, :])
    score = (dist <= PLACE_RADIUS_M) @ cw
    best = int(np.argmax(score))
    near = haversine_m(lat, lon, clat[best], clon[best]) <= PLACE_RADIUS_M
    members = near & (weight > 0)
    wsum = weight[members].sum()
    centre = LatLon(
        float((weight[members] * lat[members]).sum() / wsum),
        float((weight[members] * lon[members]).sum() / wsum),
    )
    return centre, near


def infer_home_work(ts_ms: npt.ArrayLike, lat: npt.ArrayLike, lon: npt.ArrayLike, tz: str) -> HomeWork:
    """Home and work as the night-time and weekday-daytime modes of stay points in local time."""
    return home_work_from_stays(stay_points(ts_ms, lat, lon), tz)


def home_work_from_stays(stays: Sequence[Stay], tz: str) -> HomeWork:
    """Home and work from already computed stay points."""
    if not stays:
        return HomeWork(None, None, 0, 0)
    idx, hour, minutes, day = stay_hour_minutes(stays, tz)
    lat = np.array([s.lat for s in stays])
    lon = np.array([s.lon for s in stays])
    night = np.isin(hour, list(NIGHT_HOURS))
    work = np.isin(hour, list(WORK_HOURS)) & (weekday_of(day) < 5)
    night_w = np.bincount(idx, weights=minutes * night, minlength=len(stays)).astype(float)
    work_w = np.bincount(idx, weights=minutes * work, minlength=len(stays)).astype(float)
    home_hit = _mode_place(lat, lon, night_w)
    home, home_nights = None, 0
    if home_hit is not None:
        home, at_home = home_hit
        night_day = (day - (hour < 12)).astype(np.int64)
        home_nights = int(np.unique(night_day[night & at_home[idx] & (minutes > 0)]).size)
        if home is not None:
            far = haversine_m(lat, lon, home.lat, home.lon) > MIN_WORK_DISTANCE_M
            work_w = np.where(far, work_w, 0.0)
    work_place, work_days = _work(lat, lon, work_w, idx, day, work & (minutes > 0))
    return HomeWork(home, work_place, home_nights, work_days)


def _work(
    lat: FloatArray,
    lon: FloatArray,
    work_w: FloatArray,
    idx: IntArray,
    day: IntArray,
    work_bin: BoolArray,
) -> tuple[LatLon | None, int]:
    """The weekday-daytime mode away from home, if it was visited on enough distinct days."""
    hit = _mode_place(lat, lon, work_w)
    if hit is None:
        return None, 0
    place, at_work = hit
    days = int(np.unique(day[work_bin & at_work[idx] & (work_w[idx] > 0)]).size)
    return (place, days) if days >= MIN_WORK_DAYS else (None, days)
