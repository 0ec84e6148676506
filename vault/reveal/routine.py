"""Routine findings from positions: hours at home, weekly regular slots, places visited, absences."""

from __future__ import annotations

import contextlib
import io
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from vault.places import NIGHT_HOURS, LatLon, haversine_m, stay_hour_minutes, weekday_of
from vault.reveal.location import ABSENCE_DAYS, LocationView, pair_keys
from vault.reveal.report import Finding, Severity

AT_HOME_SHARE = 0.5  # an hour belongs to the home window when the owner is home on half the days
REGULAR_SHARE = 0.5  # a weekly slot is regular when the same place is occupied in half the weeks
REGULAR_SLOTS_MEDIUM = 5
HOME_RADIUS_M = 250.0
SLOT_CELL_DEG = 0.005  # about 500 m: the place of a weekly slot


def _home_window(v: LocationView, tz: str) -> dict[str, Any]:
    """Local hours in which the owner is at the inferred home on most days."""
    home = v.places.home
    if home is None or not v.stays:
        return {}
    idx, hour, minutes, day = stay_hour_minutes(v.stays, tz)
    lat = np.array([s.lat for s in v.stays])
    lon = np.array([s.lon for s in v.stays])
    at_home = (haversine_m(lat, lon, home.lat, home.lon) <= HOME_RADIUS_M)[idx] & (minutes >= 30)
    n_days = max(int(np.unique(day).size), 1)
    share = np.array([np.unique(day[at_home & (hour == h)]).size / n_days for h in range(24)])
    return {"home_hours": circular_window(share >= AT_HOME_SHARE), "days": n_days}


def circular_window(flags: npt.NDArray[np.bool_]) -> str | None:
    """The longest run of True over a 24-hour circle, as "HH:00-HH:00"."""
    if not flags.any():
        return None
    if flags.all():
        return "00:00-24:00"
    start = int(np.flatnonzero(~flags)[0])
    best, best_start, run = 0, 0, 0
    for step in range(1, 25):
        h = (start + step) % 24
        run = run + 1 if flags[h] else 0
        if run > best:
            best, best_start = run, (h - run + 1) % 24
    return f"{best_start:02d}:00-{(best_start + best) % 24:02d}:00"


def _regular_slots(v: LocationView, tz: str) -> int:
    """(weekday, hour, place) slots occupied in at least half of the observed weeks."""
    if not v.stays:
        return 0
    idx, hour, minutes, day = stay_hour_minutes(v.stays, tz)
    lat = np.array([s.lat for s in v.stays])[idx]
    lon = np.array([s.lon for s in v.stays])[idx]
    keep = minutes >= 30
    weeks = (day + 3) // 7
    n_weeks = int(np.unique(weeks).size)
    if n_weeks < 2:
        return 0
    cell = pair_keys(
        np.floor(lat / SLOT_CELL_DEG).astype(np.int64), np.floor(lon / SLOT_CELL_DEG).astype(np.int64)
    )
    slot = pair_keys(weekday_of(day) * 24 + hour, cell)[keep]
    distinct = np.unique(pair_keys(slot, weeks[keep]))
    slot_of = distinct // (int(np.unique(weeks[keep]).size) or 1)
    _, counts = np.unique(slot_of, return_counts=True)
    return int((counts >= max(2.0, REGULAR_SHARE * n_weeks)).sum())


def routine_finding(after: LocationView | None, before: LocationView | None, tz: str) -> Finding | None:
    """When the owner is home and which weekly slots repeat (sleep window and routine)."""
    if after is None and before is None:
        return None

    def figures(v: LocationView | None) -> dict[str, Any]:
        if v is None:
            return {}
        return {**_home_window(v, tz), "regular_weekly_slots": _regular_slots(v, tz)}

    measured = figures(after)
    medium = measured.get("home_hours") or measured.get("regular_weekly_slots", 0) >= REGULAR_SLOTS_MEDIUM
    return Finding(
        "location.routine",
        "inference",
        Severity.MEDIUM if medium else Severity.LOW,
        "Sleep window and weekly routine",
        measured,
        measured if before is after else figures(before),
        None,
        "truncate ts to day, or time shift",
    )


@lru_cache(maxsize=1)
def _geocoder() -> Any:
    """reverse_geocoder's offline index, loaded once with its console output kept off stdout."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            import reverse_geocoder

            return reverse_geocoder.RGeocoder(mode=1, verbose=False)
    except ImportError:
        return None


def places_visited(lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]) -> dict[str, Any] | None:
    """Countries and cities of the given positions (offline), or None without a geocoder."""
    geocoder = _geocoder()
    if geocoder is None or len(lat) == 0:
        return None
    pts = np.unique(np.round(np.stack((lat, lon), axis=1), 2), axis=0)
    with contextlib.redirect_stdout(io.StringIO()):
        found = geocoder.query([tuple(p) for p in pts.tolist()])
    countries = sorted({f["cc"] for f in found})
    cities = sorted({f"{f['name']}, {f['cc']}" for f in found})
    return {"countries": countries, "n_countries": len(countries), "n_cities": len(cities)}


def visited_finding(after: LocationView | None, before: LocationView | None) -> Finding | None:
    """Countries and cities the slice shows the owner in (trips abroad)."""

    def figures(v: LocationView | None) -> dict[str, Any] | None:
        if v is None:
            return None
        stays = v.stays
        lat = np.array([s.lat for s in stays]) if stays else v.lat
        lon = np.array([s.lon for s in stays]) if stays else v.lon
        return places_visited(lat, lon)

    measured = figures(after)
    if measured is None:
        return None
    severity = Severity.MEDIUM if measured["n_countries"] > 1 else Severity.LOW
    return Finding(
        "location.places_visited",
        "inference",
        severity,
        "Countries and cities visited",
        measured,
        measured if before is after else (figures(before) or {}),
        None,
        "snap res 5, or filter since/until",
    )


def _absences(v: LocationView, home: LatLon, tz: str) -> dict[str, Any]:
    """Runs of observed nights spent away from home."""
    if not v.stays:
        return {"absences": 0, "longest_nights": 0}
    idx, hour, minutes, day = stay_hour_minutes(v.stays, tz)
    lat = np.array([s.lat for s in v.stays])
    lon = np.array([s.lon for s in v.stays])
    night = np.isin(hour, list(NIGHT_HOURS)) & (minutes > 0)
    night_day = day - (hour < 12)
    at_home = (haversine_m(lat, lon, home.lat, home.lon) <= HOME_RADIUS_M)[idx]
    observed = np.unique(night_day[night])
    home_nights = set(np.unique(night_day[night & at_home]).tolist())
    runs, run, longest, prev = 0, 0, 0, None
    for cur in observed.tolist():
        follows = run and prev is not None and cur == prev + 1
        run = 0 if cur in home_nights else (run + 1 if follows else 1)
        runs += int(run == ABSENCE_DAYS)
        longest, prev = max(longest, run), cur
    return {"absences": runs, "longest_nights": longest}


def absence_finding(
    after: LocationView | None, before: LocationView | None, home: LatLon | None, tz: str
) -> Finding | None:
    """Long absences from home: when the home stood empty."""
    if home is None or after is None:
        return None
    measured = _absences(after, home, tz)
    return Finding(
        "location.absences",
        "inference",
        Severity.MEDIUM if measured["absences"] else Severity.LOW,
        f"Absences from home of {ABSENCE_DAYS}+ nights",
        measured,
        measured if before is after else (_absences(before, home, tz) if before else {}),
        None,
        "truncate ts to month, or time shift",
    )
