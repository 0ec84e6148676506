"""Location operators: snap to H3 cells or a metric grid, privacy zones and their trips, stays only."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import h3.api.basic_int as h3
import numpy as np
import pyarrow as pa

from vault.places import stay_points

EARTH_RADIUS_M = 6_371_008.8
_M_PER_DEG_LAT = math.pi * EARTH_RADIUS_M / 180.0
STAY_RADIUS_M = 100.0  # a stay keeps within this distance of its centre
STAY_MINUTES = 5.0  # for at least this long; the moves between stays are trips


@dataclass(frozen=True)
class Zone:
    """A circle around which positions are withheld."""

    lat: float
    lon: float
    radius_m: float


def haversine_m(
    lat1: np.ndarray, lon1: np.ndarray, lat2: float | np.ndarray, lon2: float | np.ndarray
) -> np.ndarray:
    """Great-circle distances in metres, vectorised."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def destination(lat: float, lon: float, bearing_rad: float, distance_m: float) -> tuple[float, float]:
    """The point `distance_m` away from (lat, lon) on the given initial bearing."""
    phi, lmb = math.radians(lat), math.radians(lon)
    delta = distance_m / EARTH_RADIUS_M
    phi2 = math.asin(
        math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(bearing_rad)
    )
    lmb2 = lmb + math.atan2(
        math.sin(bearing_rad) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * math.sin(phi2),
    )
    return math.degrees(phi2), (math.degrees(lmb2) + 540.0) % 360.0 - 180.0


def draw_zones(
    places: list[tuple[float, float]], radius_m: float, randomize: bool, rng: random.Random
) -> list[Zone]:
    """Zones around places: fixed (centred, radius r) or randomised so the centre misses the place."""
    if not randomize:
        return [Zone(lat, lon, radius_m) for lat, lon in places]
    zones = []
    for lat, lon in places:
        radius = rng.uniform(radius_m, 1.5 * radius_m)
        offset = rng.uniform(0.5 * radius, 0.8 * radius)
        centre = destination(lat, lon, rng.uniform(0.0, 2.0 * math.pi), offset)
        zones.append(Zone(centre[0], centre[1], radius))
    return zones


def as_floats(values: pa.Array | np.ndarray) -> np.ndarray:
    """A float64 numpy view of a column, NaN for nulls."""
    if isinstance(values, np.ndarray):
        return values.astype(np.float64, copy=False)
    return values.cast(pa.float64()).to_numpy(zero_copy_only=False)


def inside_zones(lat: np.ndarray, lon: np.ndarray, zones: Sequence[Zone]) -> np.ndarray:
    """Which positions fall inside any zone (missing positions never do)."""
    inside = np.zeros(len(lat), dtype=bool)
    for zone in zones:
        near = np.abs(lat - zone.lat) * _M_PER_DEG_LAT <= zone.radius_m
        if near.any():
            index = np.flatnonzero(near)
            hit = haversine_m(lat[index], lon[index], zone.lat, zone.lon) <= zone.radius_m
            inside[index[hit]] = True
    return inside


def privacy_zone_mask(
    lat: pa.Array | np.ndarray, lon: pa.Array | np.ndarray, zones: Sequence[Zone]
) -> pa.BooleanArray:
    """True for the rows to keep: positions outside every zone (or missing)."""
    keep = ~inside_zones(as_floats(lat), as_floats(lon), zones)
    return pa.array(keep, pa.bool_())


def trim_trip_ends(
    ts_ms: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    inside: np.ndarray,
    rng: np.random.Generator,
    trim_m: tuple[float, float],
) -> np.ndarray:
    """True for fixes on the first or last stretch of a trip beyond a zone, to withhold as well.

    Each time the stream leaves the zones (or enters them), the fixes within a path length drawn
    per trip end from `trim_m` of the last (or next) fix inside are marked: trips then start and
    end at random distances from the zone's edge, and their first kept stretch no longer runs
    along the way out of the home's street.
    """
    n = len(ts_ms)
    marked = np.zeros(n, dtype=bool)
    if n < 2 or not inside.any() or inside.all():
        return marked
    order = np.arange(n) if bool(np.all(np.diff(ts_ms) >= 0)) else np.argsort(ts_ms, kind="stable")
    la, lo, ins = lat[order], lon[order], inside[order]
    step = np.nan_to_num(haversine_m(la[:-1], lo[:-1], la[1:], lo[1:]), nan=0.0)
    along = np.concatenate(([0.0], np.cumsum(step)))
    out_sorted = (
        _beyond(along, ins, rng, trim_m) | _beyond(along[-1] - along[::-1], ins[::-1], rng, trim_m)[::-1]
    )
    marked[order] = out_sorted & ~ins
    return marked


def zone_trip_mask(
    ts_ms: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    inside: np.ndarray,
    stay_radius_m: float = STAY_RADIUS_M,
    stay_minutes: float = STAY_MINUTES,
) -> np.ndarray:
    """True for fixes to withhold besides those inside: whole trips to or from a zone, and its stays.

    A stay is at least `stay_minutes` within `stay_radius_m`; a trip is the run of fixes between
    two stays. A trip is withheld from the end of the previous stay to the start of the next when
    either stay or any of its fixes touches a zone, and a stay is withheld when it touches one, so
    that no released fix lies on a way into or out of a zone and no departure points back to it.
    """
    n = len(ts_ms)
    if n == 0 or not inside.any():
        return np.zeros(n, dtype=bool)
    order = np.arange(n) if bool(np.all(np.diff(ts_ms) >= 0)) else np.argsort(ts_ms, kind="stable")
    t, ins = ts_ms[order], inside[order]
    segment = _segments(t, lat[order], lon[order], stay_radius_m, stay_minutes)
    touched = np.zeros(int(segment.max()) + 2, dtype=bool)
    touched[segment[ins]] = True
    is_trip = segment % 2 == 0
    previous_stay = np.where(segment > 0, segment - 1, segment)
    drop = touched[segment] | (is_trip & (touched[previous_stay] | touched[segment + 1]))
    marked = np.zeros(n, dtype=bool)
    marked[order] = drop & ~ins
    return marked


def _segments(t: np.ndarray, lat: np.ndarray, lon: np.ndarray, radius_m: float, minutes: float) -> np.ndarray:
    """Each time-sorted fix's segment: 2k + 1 inside stay k, 2k + 2 on the trip after it (0 before)."""
    valid = ~(np.isnan(lat) | np.isnan(lon))
    stays = stay_points(t[valid], lat[valid], lon[valid], radius_m=radius_m, min_minutes=minutes)
    if not stays:
        return np.zeros(len(t), dtype=np.int64)
    starts = np.array([s.start_ms for s in stays], dtype=np.int64)
    ends = np.array([s.end_ms for s in stays], dtype=np.int64)
    k = np.searchsorted(starts, t, side="right") - 1
    in_stay = (k >= 0) & (t <= ends[np.maximum(k, 0)])
    return np.where(in_stay, 2 * k + 1, 2 * k + 2)


def _beyond(
    along: np.ndarray, inside: np.ndarray, rng: np.random.Generator, trim_m: tuple[float, float]
) -> np.ndarray:
    """Fixes after leaving the zones, within a per-exit random path length of the last fix inside."""
    index = np.arange(len(inside))
    last_inside = np.maximum.accumulate(np.where(inside, index, -1))
    exits = np.cumsum(np.concatenate(([False], inside[:-1] & ~inside[1:])))
    lengths = rng.uniform(trim_m[0], trim_m[1], int(exits[-1]) + 1)
    since = along - along[np.maximum(last_inside, 0)]
    return (last_inside >= 0) & (since <= lengths[exits])


def snap_h3(lat: pa.Array, lon: pa.Array, res: int) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Replace each position by the centre of its H3 cell; also return the cells as hex strings."""
    lats, lons = as_floats(lat), as_floats(lon)
    valid = ~(np.isnan(lats) | np.isnan(lons))
    to_cell = h3.latlng_to_cell
    cells = np.fromiter(
        (to_cell(a, b, res) for a, b in zip(lats[valid].tolist(), lons[valid].tolist(), strict=True)),
        dtype=np.uint64,
        count=int(valid.sum()),
    )
    unique, inverse = np.unique(cells, return_inverse=True)
    centres = np.array([h3.cell_to_latlng(int(c)) for c in unique.tolist()], dtype=np.float64)
    centres = centres.reshape(-1, 2)
    names = np.array([h3.int_to_str(int(c)) for c in unique.tolist()], dtype=object)
    return (
        _scatter(centres[inverse, 0], valid),
        _scatter(centres[inverse, 1], valid),
        _scatter_text(names[inverse], valid),
    )


def snap_grid(lat: pa.Array, lon: pa.Array, grid_m: float) -> tuple[pa.Array, pa.Array]:
    """Replace each position by the centre of its cell in a grid of about `grid_m` metres."""
    lats, lons = as_floats(lat), as_floats(lon)
    valid = ~(np.isnan(lats) | np.isnan(lons))
    step_lat = grid_m / _M_PER_DEG_LAT
    snapped_lat = (np.floor(lats[valid] / step_lat) + 0.5) * step_lat
    cos_lat = np.maximum(np.cos(np.radians(snapped_lat)), 1e-6)
    step_lon = grid_m / (_M_PER_DEG_LAT * cos_lat)
    snapped_lon = (np.floor(lons[valid] / step_lon) + 0.5) * step_lon
    return _scatter(np.clip(snapped_lat, -90, 90), valid), _scatter(snapped_lon, valid)


def _scatter(values: np.ndarray, valid: np.ndarray) -> pa.Array:
    """A float column with `values` where `valid` and nulls elsewhere."""
    out = np.full(len(valid), np.nan)
    out[valid] = values
    return pa.array(out, pa.float64(), mask=~valid)


def _scatter_text(values: np.ndarray, valid: np.ndarray) -> pa.Array:
    """A string column with `values` where `valid` and nulls elsewhere."""
    out = np.full(len(valid), None, dtype=object)
    out[valid] = values
    return pa.array(out, pa.string())


def stay_mask(
    ts_ms: np.ndarray, lat: np.ndarray, lon: np.ndarray, radius_m: float, min_minutes: float
) -> np.ndarray:
    """Points that belong to a stay: a run within `radius_m` of its first point for `min_minutes`."""
    if len(ts_ms) == 0:
        return np.zeros(0, dtype=bool)
    order = np.argsort(ts_ms, kind="stable")
    t, la, lo = ts_ms[order], lat[order], lon[order]
    keep_sorted = np.zeros(len(t), dtype=bool)
    moves = np.append(haversine_m(la[:-1], lo[:-1], la[1:], lo[1:]) > radius_m, True)
    moves |= np.isnan(la) | np.isnan(lo)
    min_ms = min_minutes * 60_000
    start = 0
    while start < len(t):
        end = start + 1 if moves[start] else _run_end(la, lo, start, radius_m)
        if t[end - 1] - t[start] >= min_ms:
            keep_sorted[start:end] = True
        start = end
    keep = np.zeros(len(t), dtype=bool)
    keep[order] = keep_sorted
    return keep


def _run_end(la: np.ndarray, lo: np.ndarray, start: int, radius_m: float) -> int:
    """End (exclusive) of the run of points within `radius_m` of the point at `start`."""
    window = 16
    end = start + 1
    while end < len(la):
        stop = min(len(la), end + window)
        far = haversine_m(la[end:stop], lo[end:stop], la[start], lo[start]) > radius_m
        far |= np.isnan(la[end:stop])
        if far.any():
            return end + int(np.argmax(far))
        end = stop
        window = min(window * 2, 4096)
    return end
