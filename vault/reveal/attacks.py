"""The endpoint-intersection attack on privacy zones (Hassan et al. 2018, yardstick A7).

A privacy zone withholds every fix inside a circle, so the released stream has gaps whose two sides
(the last fix before, the first after) lie just outside the circle, and no released fix lies
inside it. The attack searches (coarse to fine grids) for the centre whose largest empty circle
(radius: the distance to the nearest released fix) is hugged by gap endpoints on the most compass
sectors, then by the most endpoints, then the largest; it returns the centroid of the room around
that centre where a nearly as large empty circle still fits.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from vault.places import EARTH_RADIUS_M, LatLon

FloatArray = npt.NDArray[np.float64]

MIN_GAP_MS = 30 * 60_000
GAP_FACTOR = 4.0
MIN_RADIUS_M = 30.0
MAX_RADIUS_M = 3_000.0
INSIDE_TOLERANCE_M = 5.0
OCCUPANCY_CELL_M = 10.0
SEARCH_PAD_M = 1_000.0
COARSE_STEP_M = 50.0
MAX_CENTRES = 6_000
HUG_BAND_M = 100.0
HUG_BAND_SHARE = 0.3
SECTORS = 12
ROOM_SHARE = 0.9
ROOM_SPAN = 0.5
ROOM_STEP_M = 10.0
CHUNK = 512


def gap_endpoints(ts_ms: npt.ArrayLike, lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    """The fixes on either side of every gap in the stream, as an (n, 2) array of lat, lon."""
    ts = np.asarray(ts_ms, dtype=np.int64)
    la, lo = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    order = np.argsort(ts, kind="stable")
    ts, la, lo = ts[order], la[order], lo[order]
    if len(ts) < 2:
        return np.zeros((0, 2))
    dt = np.diff(ts)
    threshold = max(MIN_GAP_MS, GAP_FACTOR * float(np.median(dt)))
    gaps = np.flatnonzero(dt > threshold)
    idx = np.unique(np.concatenate((gaps, gaps + 1)))
    return np.stack((la[idx], lo[idx]), axis=1)


def _to_xy(lat: FloatArray, lon: FloatArray, lat0: float, lon0: float) -> FloatArray:
    """Local metric coordinates around (lat0, lon0)."""
    k = np.pi / 180 * EARTH_RADIUS_M
    return np.stack(((lon - lon0) * k * np.cos(np.radians(lat0)), (lat - lat0) * k), axis=1)


def _occupied(xy: FloatArray) -> FloatArray:
    """Released fixes thinned to one per small grid cell (emptiness checks stay cheap)."""
    cells = np.floor(xy / OCCUPANCY_CELL_M).astype(np.int64)
    _, first = np.unique(cells, axis=0, return_index=True)
    return xy[first]


def _nearest_distance(centres: FloatArray, points: FloatArray) -> FloatArray:
    """Distance from each centre to its nearest released fix: the largest empty circle there."""
    r_out = np.full(len(centres), np.inf)
    for first in range(0, len(points), CHUNK):
        block = points[first : first + CHUNK]
        d = np.hypot(centres[:, None, 0] - block[None, :, 0], centres[:, None, 1] - block[None, :, 1])
        r_out = np.minimum(r_out, d.min(axis=1))
    return r_out


def _grid(lo: FloatArray, hi: FloatArray, step: float) -> FloatArray:
    """Centres of a regular grid over a box, as an (n, 2) array."""
    gx, gy = np.meshgrid(np.arange(lo[0], hi[0] + step, step), np.arange(lo[1], hi[1] + step, step))
    return np.stack((gx.ravel(), gy.ravel()), axis=1)


def _hugging(
    centres: FloatArray, r_out: FloatArray, end_xy: FloatArray, radius: float | None = None
) -> FloatArray:
    """Score of each centre: compass sectors, then endpoints, on or just outside its empty circle.

    A zone is left on all sides, so its endpoints surround it; a spurious empty circle elsewhere
    is touched on one side only. Sector coverage therefore ranks first.
    """
    dx = end_xy[None, :, 0] - centres[:, None, 0]
    dy = end_xy[None, :, 1] - centres[:, None, 1]
    d = np.hypot(dx, dy)
    ok = (r_out >= MIN_RADIUS_M) & (r_out <= MAX_RADIUS_M)
    if radius is not None:
        ok = r_out >= radius - INSIDE_TOLERANCE_M
        r_out = np.full(len(centres), radius)
    band = (HUG_BAND_M + HUG_BAND_SHARE * r_out)[:, None]
    hug = (d >= r_out[:, None] - INSIDE_TOLERANCE_M) & (d <= r_out[:, None] + band)
    sector = ((np.arctan2(dy, dx) + np.pi) / (2 * np.pi) * SECTORS).astype(np.int64) % SECTORS
    covered = sum((hug & (sector == k)).any(axis=1).astype(int) for k in range(SECTORS))
    return np.asarray((np.asarray(covered) * (len(end_xy) + 1) + hug.sum(axis=1)) * ok, dtype=float)


def endpoint_intersection_attack(
    ts_ms: npt.ArrayLike,
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    *,
    radius_m: float | None = None,
) -> LatLon | None:
    """The centre of the empty circle that the released stream's gap endpoints hug, or None.

    `radius_m` is the zone radius when the attacker knows it (a policy default, or Strava's
    published radius options); without it the largest empty circle stands in for the zone.
    """
    ends = gap_endpoints(ts_ms, lat, lon)
    if len(ends) < 3:
        return None
    lat0, lon0 = float(np.median(ends[:, 0])), float(np.median(ends[:, 1]))
    end_xy = _to_xy(ends[:, 0], ends[:, 1], lat0, lon0)
    all_xy = _to_xy(np.asarray(lat, float), np.asarray(lon, float), lat0, lon0)
    span = float(np.abs(end_xy).max()) + 2 * MAX_RADIUS_M
    near = (np.abs(all_xy) < span).all(axis=1)
    points = _occupied(all_xy[near])
    best = _best_circle(end_xy, points, radius_m)
    if best is None:
        return None
    best = _centre_of_room(best, points, radius_m)
    k = np.pi / 180 * EARTH_RADIUS_M
    return LatLon(lat0 + best[1] / k, lon0 + best[0] / (k * np.cos(np.radians(lat0))))


def _best_circle(
    end_xy: FloatArray, points: FloatArray, radius: float | None = None
) -> tuple[float, float] | None:
    """The centre (local metres) whose largest empty circle the most gap endpoints hug."""
    lo = end_xy.min(axis=0) - SEARCH_PAD_M
    hi = end_xy.max(axis=0) + SEARCH_PAD_M
    step = max(COARSE_STEP_M, float(np.sqrt((hi - lo).prod() / MAX_CENTRES)))
    best: tuple[float, float] | None = None
    for _ in range(3):
        centres = _grid(lo, hi, step)
        r_out = _nearest_distance(centres, points)
        score = _hugging(centres, r_out, end_xy, radius)
        if score.max() <= 0:
            return best
        pick = int(np.lexsort((-r_out, -score))[0])
        best = (float(centres[pick, 0]), float(centres[pick, 1]))
        lo, hi = centres[pick] - 2 * step, centres[pick] + 2 * step
        step /= 5
    return best


def _centre_of_room(
    start: tuple[float, float], points: FloatArray, radius: float | None = None
) -> tuple[float, float]:
    """The centroid of the centres whose empty circle is nearly as large as the start's.

    The largest empty circle's centre hangs on three fixes and jitters with them; the region
    where a slightly smaller circle still fits is shaped by every fix around the zone, and its
    centroid sits nearer the true centre.
    """
    r0 = float(_nearest_distance(np.array([start]), points)[0])
    threshold = ROOM_SHARE * r0 if radius is None else min(radius, r0)
    half = ROOM_SPAN * r0
    offsets = np.arange(-half, half + ROOM_STEP_M, ROOM_STEP_M)
    gx, gy = np.meshgrid(start[0] + offsets, start[1] + offsets)
    centres = np.stack((gx.ravel(), gy.ravel()), axis=1)
    room = _nearest_distance(centres, points) >= threshold
    if not room.any():
        return start
    return float(centres[room, 0].mean()), float(centres[room, 1].mean())
