"""The endpoint-intersection attack on privacy zones (Hassan et al. 2018, yardstick A7).

A privacy zone withholds every fix inside a circle, so the released stream has gaps whose two sides
(the last fix before, the first after) lie just outside the circle. The attack fits, robustly, the
circle through those gap endpoints, and also intersects the directions in which trips leave and
reach the gaps (a line through the first few kept fixes of each departure, the last few of each
arrival); it returns the centre whose estimate is the more consistent (smaller standard error).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vault.places import EARTH_RADIUS_M, LatLon

FloatArray = npt.NDArray[np.float64]

MIN_GAP_MS = 30 * 60_000
GAP_FACTOR = 4.0
MIN_ENDPOINTS = 3
MIN_LINES = 4
TRIP_STEP_MS = 5 * 60_000  # consecutive fixes of one trip are at most this far apart
TRIP_REACH_M = 400.0  # a departure's direction is read from its first fixes within this reach
MIN_TRIP_SPAN_M = 40.0
TUKEY_C = 4.685
MAD_SCALE = 1.4826
MIN_SCALE_M = 5.0
GPS_SIGMA_M = 15.0  # typical phone fix error
STILL_SPREAD_M = 60.0  # a still endpoint's distance behind the edge is unknown: about this
ITERATIONS = 30
OCCUPANCY_CELL_M = 10.0


@dataclass(frozen=True)
class Estimate:
    """A centre in local metres, its standard error, and how many observations agreed."""

    x: float
    y: float
    se_m: float
    inliers: int


def _sorted(ts_ms: npt.ArrayLike, lat: npt.ArrayLike, lon: npt.ArrayLike) -> tuple[np.ndarray, ...]:
    """The stream sorted by time."""
    ts = np.asarray(ts_ms, dtype=np.int64)
    order = np.argsort(ts, kind="stable")
    return ts[order], np.asarray(lat, dtype=float)[order], np.asarray(lon, dtype=float)[order]


def _gaps(ts: np.ndarray) -> np.ndarray:
    """Index i of every gap between fix i and fix i + 1."""
    if len(ts) < 2:
        return np.zeros(0, dtype=np.int64)
    dt = np.diff(ts)
    threshold = max(MIN_GAP_MS, GAP_FACTOR * float(np.median(dt)))
    return np.flatnonzero(dt > threshold)


def gap_endpoints(ts_ms: npt.ArrayLike, lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    """The fixes on either side of every gap in the stream, as an (n, 2) array of lat, lon."""
    ts, la, lo = _sorted(ts_ms, lat, lon)
    gaps = _gaps(ts)
    idx = np.unique(np.concatenate((gaps, gaps + 1)))
    return np.stack((la[idx], lo[idx]), axis=1)


def _to_xy(lat: FloatArray, lon: FloatArray, lat0: float, lon0: float) -> FloatArray:
    """Local metric coordinates around (lat0, lon0)."""
    k = np.pi / 180 * EARTH_RADIUS_M
    return np.stack(((lon - lon0) * k * np.cos(np.radians(lat0)), (lat - lat0) * k), axis=1)


def _occupied(xy: FloatArray) -> FloatArray:
    """Released fixes thinned to one per small grid cell (barrier checks stay cheap)."""
    cells = np.floor(xy / OCCUPANCY_CELL_M).astype(np.int64)
    _, first = np.unique(cells, axis=0, return_index=True)
    return xy[first]


def _tukey(residuals: FloatArray, floor: float = MIN_SCALE_M) -> tuple[FloatArray, float]:
    """Tukey biweights of residuals and their robust scale (MAD, at least `floor`)."""
    scale = max(MAD_SCALE * float(np.median(np.abs(residuals))), floor)
    u = residuals / (TUKEY_C * scale)
    return np.where(np.abs(u) < 1, (1 - u**2) ** 2, 0.0), scale


def fit_circle(
    points: FloatArray,
    sigma: FloatArray,
    radius: float | None = None,
    outside: FloatArray | None = None,
) -> Estimate | None:
    """Robust weighted circle through points of known spread, that leaves `outside` fixes outside.

    Tukey-reweighted Gauss-Newton; a released fix that falls inside the circle adds a penalty (a
    zone withholds every fix inside it). The radius is fitted unless given; the standard error
    comes from the fit's covariance.
    """
    if len(points) < MIN_ENDPOINTS:
        return None
    barrier = np.zeros((0, 2)) if outside is None else outside
    c = np.median(points, axis=0)
    r = radius if radius is not None else float(np.median(np.hypot(*(points - c).T)))
    for _ in range(ITERATIONS):
        d = np.maximum(np.hypot(*(points - c).T), 1e-9)
        w, scale = _tukey((d - r) / sigma, 1.0)
        if (w > 0).sum() < MIN_ENDPOINTS:
            return None
        jac, res, root = _circle_rows(points, c, d, r, w / sigma**2, radius is None)
        db = np.maximum(np.hypot(*(barrier - c).T), 1e-9)
        inside = db < r
        if inside.any():
            jb, rb, wb = _circle_rows(barrier[inside], c, db[inside], r, None, radius is None)
            jac, res, root = np.vstack((jac, jb)), np.concatenate((res, rb)), np.concatenate((root, wb))
        step = np.linalg.lstsq(jac * root[:, None], -res * root, rcond=None)[0]
        c = c + step[:2]
        r = r + (float(step[2]) if radius is None else 0.0)
        if np.hypot(*step[:2]) < 0.01:
            break
    info = (jac * (root**2)[:, None]).T @ jac
    cov = np.linalg.pinv(info) * scale**2
    return Estimate(float(c[0]), float(c[1]), float(np.sqrt(cov[0, 0] + cov[1, 1])), int((w > 0).sum()))


def _circle_rows(
    points: FloatArray, c: FloatArray, d: FloatArray, r: float, weight: FloatArray | None, free_r: bool
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Jacobian rows, residuals and root weights of distances to a circle (barrier rows: GPS spread)."""
    unit = (points - c) / d[:, None]
    jac = np.column_stack((-unit, -np.ones(len(points)))) if free_r else -unit
    root = np.full(len(points), 1.0 / GPS_SIGMA_M) if weight is None else np.sqrt(weight)
    return jac, d - r, root


def fit_lines(origins: FloatArray, directions: FloatArray) -> Estimate | None:
    """Robust point nearest to the rays that run back from each origin against its direction."""
    if len(origins) < MIN_LINES:
        return None
    normals = np.column_stack((-directions[:, 1], directions[:, 0]))
    w = np.ones(len(origins))
    c = np.median(origins, axis=0)
    for _ in range(ITERATIONS):
        outer = normals[:, :, None] * normals[:, None, :] * w[:, None, None]
        a = outer.sum(axis=0)
        if np.linalg.cond(a) > 1e6:
            return None
        new = np.linalg.solve(a, np.einsum("nij,nj->i", outer, origins))
        behind = np.einsum("ni,ni->n", origins - new, directions) > 0
        w, _ = _tukey(np.einsum("ni,ni->n", new - origins, normals))
        w = w * behind
        done = np.hypot(*(new - c)) < 0.01
        c = new
        if w.sum() < MIN_LINES or done:
            break
    if w.sum() < MIN_LINES:
        return None
    return _estimate(c, np.einsum("ni,ni->n", c - origins, normals), w)


def _estimate(c: FloatArray, residuals: FloatArray, w: FloatArray) -> Estimate:
    """An estimate's standard error from its inliers' residual spread (2 axes, n observations)."""
    inliers = w > 0
    n = int(inliers.sum())
    _, scale = _tukey(residuals[inliers])
    return Estimate(float(c[0]), float(c[1]), scale * float(np.sqrt(2.0 / max(n, 1))), n)


@dataclass(frozen=True)
class GapSides:
    """Each gap side's nearest kept fix, and for those on a trip its direction and fix spacing."""

    ends: FloatArray  # (n, 2) every endpoint
    crossings: FloatArray  # (n, 2) where the path most likely crossed the zone's edge
    spread: FloatArray  # (n,) standard deviation of each crossing along the trip, metres
    origins: FloatArray  # (m, 2) endpoints on a trip
    directions: FloatArray  # (m, 2) unit directions away from the gap


def gap_sides(ts: np.ndarray, xy: FloatArray, gaps: np.ndarray) -> GapSides:
    """Read each gap side: where the trip left (or reached) the gap, and in which direction.

    The edge was crossed between the endpoint and the withheld fix one sampling step further
    back along the trip, so the likeliest crossing is half a step behind the endpoint.
    """
    ends, crossings, spread, origins, directions = [], [], [], [], []
    for i in gaps:
        for first, step in ((int(i) + 1, 1), (int(i), -1)):
            ends.append(xy[first])
            line = _trip_line(ts, xy, first, step)
            if line is None:
                crossings.append(xy[first])
                spread.append(np.hypot(STILL_SPREAD_M, GPS_SIGMA_M))
                continue
            direction, spacing = line
            crossings.append(xy[first] - 0.5 * spacing * direction)
            spread.append(np.hypot(spacing / np.sqrt(12.0), GPS_SIGMA_M))
            origins.append(xy[first])
            directions.append(direction)
    return GapSides(
        np.array(ends).reshape(-1, 2),
        np.array(crossings).reshape(-1, 2),
        np.array(spread, dtype=float),
        np.array(origins).reshape(-1, 2),
        np.array(directions).reshape(-1, 2),
    )


def _trip_line(ts: np.ndarray, xy: FloatArray, first: int, step: int) -> tuple[FloatArray, float] | None:
    """Unit direction (principal axis, away from the gap) of a trip's first fixes, and their spacing."""
    idx = [first]
    j = first + step
    while 0 <= j < len(ts) and abs(int(ts[j]) - int(ts[j - step])) <= TRIP_STEP_MS:
        idx.append(j)
        if np.hypot(*(xy[j] - xy[first])) > TRIP_REACH_M:
            break
        j += step
    pts = xy[idx]
    away = pts[-1] - pts[0]
    if len(idx) < 2 or np.hypot(*away) < MIN_TRIP_SPAN_M:
        return None
    axis = np.linalg.svd(pts - pts.mean(axis=0))[2][0]
    spacing = float(np.hypot(*(pts[1] - pts[0])))
    return (axis if axis @ away > 0 else -axis), spacing


def zone_estimates(
    ts_ms: npt.ArrayLike, lat: npt.ArrayLike, lon: npt.ArrayLike, *, radius_m: float | None = None
) -> dict[str, LatLon]:
    """Each method's guess of the zone centre ('circle', 'directions'), those that could be fitted."""
    ts, la, lo = _sorted(ts_ms, lat, lon)
    gaps = _gaps(ts)
    ends = np.unique(np.concatenate((gaps, gaps + 1)))
    if len(ends) < MIN_ENDPOINTS:
        return {}
    lat0, lon0 = float(np.median(la[ends])), float(np.median(lo[ends]))
    xy = _to_xy(la, lo, lat0, lon0)
    sides = gap_sides(ts, xy, gaps)
    fits = {
        "circle": fit_circle(sides.crossings, sides.spread, radius_m, _occupied(xy)),
        "directions": fit_lines(sides.origins, sides.directions),
    }
    ranked = sorted((e.se_m, name) for name, e in fits.items() if e is not None)
    k = np.pi / 180 * EARTH_RADIUS_M
    return {
        name: LatLon(lat0 + e.y / k, lon0 + e.x / (k * np.cos(np.radians(lat0))))
        for name, e in ((name, fits[name]) for _, name in ranked)
        if e is not None
    }


def endpoint_intersection_attack(
    ts_ms: npt.ArrayLike,
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    *,
    radius_m: float | None = None,
) -> LatLon | None:
    """The zone centre implied by the released stream's gaps (circle fit or trip directions), or None.

    `radius_m` is the zone radius when the attacker knows it (a policy default, or Strava's
    published radius options); without it the circle's radius is fitted too. Of the two fits, the
    one with the smaller standard error wins.
    """
    guesses = zone_estimates(ts_ms, lat, lon, radius_m=radius_m)
    return next(iter(guesses.values()), None)
