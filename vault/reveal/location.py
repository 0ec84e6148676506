"""Location findings: home and work, anonymity sets, spatio-temporal points, privacy zones."""

from __future__ import annotations

import math
from dataclasses import dataclass

import h3.api.basic_int as h3
import numpy as np
import numpy.typing as npt

from vault.places import (
    HomeWork,
    LatLon,
    Stay,
    haversine_m,
    home_work_from_stays,
    stay_points,
)
from vault.reveal.attacks import endpoint_intersection_attack
from vault.reveal.inputs import RevealInputs, positions
from vault.reveal.report import Finding, Severity

# A6 (Golle & Partridge 2009): home/work pair at census block (~150 m), tract (~2 km), county
# (~40 km) granularity gives median anonymity sets of 1, 21 and 34,980.
A6_POINTS = ((150.0, 1.0), (2_000.0, 21.0), (40_000.0, 34_980.0))
HOME_HIGH_M = 250.0  # home found within 250 m of the true home: HIGH (a street address)
HOME_MEDIUM_M = 2_000.0  # within 2 km (a neighbourhood): MEDIUM
ANONYMITY_HIGH = 5  # A6 anonymity set below 5: HIGH
ANONYMITY_MEDIUM = 100  # below 100: MEDIUM
A1_POINTS = 4  # A1/A2: 4 spatio-temporal points single out 95% (93% at 60 M people)
POINT_RES = 8  # H3 resolution of a "place" for (place, hour) points (~0.7 km2, a cell tower)
ATTACK_HIGH_M = 250.0  # A7: privacy-zone attack within 250 m of home: HIGH
ATTACK_MEDIUM_M = 1_000.0
ABSENCE_DAYS = 3  # nights away from home in a row that count as an absence
GRANULARITY_SAMPLE = 3_000


@dataclass(frozen=True)
class LocationView:
    """Stay points and inferred places of one table (before or after the policy)."""

    ts: npt.NDArray[np.int64]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    stays: list[Stay]
    places: HomeWork


def view(inputs: RevealInputs, after: bool) -> LocationView | None:
    """Positions, stays and inferred home/work of the after (or before) table."""
    got = positions(inputs.after if after else inputs.before)
    if got is None or len(got[0]) == 0:
        return None
    ts, lat, lon = got
    stays = stay_points(ts, lat, lon)
    return LocationView(ts, lat, lon, stays, home_work_from_stays(stays, inputs.truth.timezone))


def _distance(guess: LatLon | None, truth: LatLon | None) -> float | None:
    """Metres between a guess and the truth, None when either is unknown."""
    if guess is None or truth is None:
        return None
    return round(float(haversine_m(guess.lat, guess.lon, truth.lat, truth.lon)), 1)


def _place_severity(dist: float | None) -> Severity:
    """HIGH within 250 m, MEDIUM within 2 km, else LOW."""
    if dist is None:
        return Severity.LOW
    if dist <= HOME_HIGH_M:
        return Severity.HIGH
    return Severity.MEDIUM if dist <= HOME_MEDIUM_M else Severity.LOW


def place_finding(
    role: str, truth: LatLon | None, after: LocationView | None, before: LocationView | None
) -> Finding:
    """How close the slice's inferred home (or work) comes to the owner's true one."""

    def figures(v: LocationView | None) -> dict[str, object]:
        guess = None if v is None else (v.places.home if role == "home" else v.places.work)
        support = None if v is None else (v.places.home_nights if role == "home" else v.places.work_days)
        return {"found": guess is not None, "error_m": _distance(guess, truth), "support": support}

    measured = figures(after)
    prior = measured if before is after else figures(before)
    return Finding(
        id=f"location.{role}",
        lens="singling_out",
        severity=_place_severity(measured["error_m"]),  # type: ignore[arg-type]
        title=f"{role.capitalize()} can be inferred from the slice",
        measured=measured,
        before=prior,
        yardstick="A6",
        suggestion=f"privacy_zone {role} (randomised), or snap res 7",
    )


def granularity_m(lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]) -> float:
    """The slice's spatial precision: 5th percentile nearest-neighbour distance of distinct positions."""
    _, first = np.unique(position_keys(lat, lon), return_index=True)
    pts = np.stack((lat[first], lon[first]), axis=1)
    if len(pts) < 2:
        return 40_000.0
    rng = np.random.default_rng(0)
    if len(pts) > GRANULARITY_SAMPLE:
        pts = pts[rng.choice(len(pts), GRANULARITY_SAMPLE, replace=False)]
    d = haversine_m(pts[:, None, 0], pts[:, None, 1], pts[None, :, 0], pts[None, :, 1])
    np.fill_diagonal(d, np.inf)
    return max(float(np.percentile(d.min(axis=1), 5)), 1.0)


def position_keys(lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """One exact int64 key per position rounded to 1e-6 degrees (fast 1-D uniques)."""
    la = np.round((lat + 90.0) * 1e6).astype(np.int64)
    lo = np.round((lon + 180.0) * 1e6).astype(np.int64)
    return la * 400_000_000 + lo


def pair_keys(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """One exact int64 key per (a, b) pair, through dense codes of each."""
    _, ca = np.unique(a, return_inverse=True)
    _, cb = np.unique(b, return_inverse=True)
    return ca.ravel().astype(np.int64) * (int(cb.max()) + 1 if len(cb) else 1) + cb.ravel()


def a6_anonymity_set(granularity: float) -> float:
    """Golle & Partridge's median home/work anonymity set, interpolated in log-log at a granularity."""
    xs = [math.log(g) for g, _ in A6_POINTS]
    ys = [math.log(s) for _, s in A6_POINTS]
    g = math.log(max(granularity, 1.0))
    if g <= xs[0]:
        return 1.0
    return float(math.exp(np.interp(g, xs, ys, right=ys[-1])))


def anonymity_finding(after: LocationView | None, before: LocationView | None) -> Finding:
    """The home/work pair's anonymity set at the granularity the slice shares (A6)."""

    def figures(v: LocationView | None) -> dict[str, object]:
        if v is None or v.places.home is None:
            return {"home_and_work_found": False}
        g = granularity_m(v.lat, v.lon)
        return {
            "home_and_work_found": v.places.work is not None,
            "granularity_m": round(g, 1),
            "anonymity_set": round(a6_anonymity_set(g), 1),
        }

    measured = figures(after)
    size = measured.get("anonymity_set")
    if not measured["home_and_work_found"] or not isinstance(size, float):
        severity = Severity.LOW
    elif size < ANONYMITY_HIGH:
        severity = Severity.HIGH
    else:
        severity = Severity.MEDIUM if size < ANONYMITY_MEDIUM else Severity.LOW
    return Finding(
        "location.home_work_anonymity_set",
        "singling_out",
        severity,
        "People who share this home/work pair at the slice's precision",
        measured,
        figures(before),
        "A6",
        "snap res 6 (coarser cells) or drop work-hours points",
    )


def _st_points(v: LocationView | None) -> int:
    """Distinct (H3 res-8 cell, hour) points in a view."""
    if v is None:
        return 0
    cells = _cells(v).astype(np.int64)
    hours = v.ts // 3_600_000
    return int(np.unique(pair_keys(cells, hours)).size)


def _cells(v: LocationView) -> npt.NDArray[np.uint64]:
    """H3 cells for many points: one lookup per distinct rounded position."""
    key = position_keys(np.round(v.lat, 4), np.round(v.lon, 4))
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    cells = np.array(
        [h3.latlng_to_cell(float(v.lat[i]), float(v.lon[i]), POINT_RES) for i in first],
        dtype=np.uint64,
    )
    return cells[inverse.ravel()]


def points_finding(after: LocationView | None, before: LocationView | None) -> Finding:
    """Distinct (place, hour) points left: four single out most people (A1, A2)."""
    n_after = _st_points(after)
    n_before = n_after if before is after else _st_points(before)
    severity = Severity.HIGH if n_after >= A1_POINTS else (Severity.MEDIUM if n_after else Severity.LOW)
    return Finding(
        "location.spatiotemporal_points",
        "singling_out",
        severity,
        "Distinct (place, hour) points an adversary can match",
        {"points": n_after, "points_needed": A1_POINTS, "share_singled_out_at_4": 0.95},
        {"points": n_before},
        "A1",
        "truncate ts to day and snap res 7, or stays_only",
    )


def zone_finding(inputs: RevealInputs, after: LocationView | None) -> Finding | None:
    """Run the endpoint-intersection attack on the output; report its error from the true home."""
    home = inputs.truth.home
    if after is None or home is None:
        return None
    guess = endpoint_intersection_attack(after.ts, after.lat, after.lon)
    err = _distance(guess, home)
    if err is None:
        severity = Severity.LOW
    elif err <= ATTACK_HIGH_M:
        severity = Severity.HIGH
    else:
        severity = Severity.MEDIUM if err <= ATTACK_MEDIUM_M else Severity.LOW
    if not inputs.zones_used and severity is not Severity.HIGH:
        return None
    return Finding(
        "location.privacy_zone_attack",
        "singling_out",
        severity,
        "Endpoint-intersection attack on the privacy zones",
        {"attack_found_centre": guess is not None, "error_m": err, "zones_used": inputs.zones_used},
        {},
        "A7",
        "privacy_zone with randomised centre and radius (larger radius)",
    )
