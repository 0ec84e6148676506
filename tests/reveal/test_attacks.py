"""The endpoint-intersection attack and home inference, on hand-made tracks and a population."""

from __future__ import annotations

import functools
import random

import numpy as np
import pytest

from tests.reveal.tracks import HOME, star_days
from vault.anonymize.geo import draw_zones, inside_zones, privacy_zone_mask, zone_trip_mask
from vault.places import haversine_m, infer_home_work
from vault.reveal.attacks import (
    endpoint_intersection_attack,
    fit_circle,
    fit_lines,
    gap_endpoints,
    zone_estimates,
)

RADIUS_M = 500.0


def _released(
    ts: np.ndarray, lat: np.ndarray, lon: np.ndarray, home: tuple[float, float], randomize: bool, seed: int
) -> np.ndarray:
    """What the privacy_zone operator keeps: outside the zones, and (randomised) minus the zones' trips."""
    zones = draw_zones([home], RADIUS_M, randomize, random.Random(seed))
    inside = inside_zones(lat, lon, zones)
    if randomize:
        inside |= zone_trip_mask(ts, lat, lon, inside)
    return ~inside


def _errors(
    ts: np.ndarray, lat: np.ndarray, lon: np.ndarray, keep: np.ndarray, home: tuple[float, float]
) -> dict[str, float]:
    """Distance from home of the attack's guess ('attack') and of each method's own guess."""
    guesses = zone_estimates(ts[keep], lat[keep], lon[keep])
    out = {name: float(haversine_m(g.lat, g.lon, *home)) for name, g in guesses.items()}
    out["attack"] = out[next(iter(guesses))] if guesses else float("inf")
    return out


def _summary(errors: list[dict[str, float]], method: str) -> str:
    e = np.array([x.get(method, np.inf) for x in errors])
    return (
        f"{method}: within 50 m {np.mean(e <= 50):.0%}, miss >= R/2 {np.mean(e >= RADIUS_M / 2):.0%}, "
        f"median {np.percentile(e, 50, method='lower'):.0f} m, P10 {np.percentile(e, 10, method='lower'):.0f} m, "
        f"P90 {np.percentile(e, 90, method='lower'):.0f} m (inf: no estimate)"
    )


def test_gap_endpoints_are_both_sides_of_each_gap() -> None:
    ts = np.array([0, 60_000, 120_000, 10_000_000, 10_060_000], dtype=np.int64)
    lat = np.arange(5, dtype=float)
    ends = gap_endpoints(ts, lat, np.zeros(5))
    assert ends[:, 0].tolist() == [2.0, 3.0]


def test_no_gaps_no_guess() -> None:
    ts = np.arange(100, dtype=np.int64) * 60_000
    assert endpoint_intersection_attack(ts, np.full(100, 52.5), np.full(100, 13.4)) is None


def test_circle_fit_ignores_outliers_and_respects_released_fixes() -> None:
    rng = np.random.default_rng(0)
    angle = rng.uniform(0, 2 * np.pi, 60)
    points = np.column_stack((np.cos(angle), np.sin(angle))) * 400 + [120.0, -80.0]
    points += rng.normal(0, 10, points.shape)
    points[:6] = rng.uniform(-2000, 2000, (6, 2))  # a tenth are far off
    fit = fit_circle(points, np.full(60, 10.0), None, points)
    assert fit is not None and np.hypot(fit.x - 120, fit.y + 80) < 10 and fit.inliers >= 50


def test_directions_meet_where_the_trips_start() -> None:
    rng = np.random.default_rng(1)
    angle = rng.uniform(0, 2 * np.pi, 30)
    directions = np.column_stack((np.cos(angle), np.sin(angle)))
    origins = directions * rng.uniform(300, 900, (30, 1)) + [-50.0, 70.0]
    fit = fit_lines(origins, directions)
    assert fit is not None and np.hypot(fit.x + 50, fit.y - 70) < 1
    assert fit_lines(origins, -directions) is None  # rays that point inwards meet nowhere behind


def test_attack_finds_a_centred_zone_on_star_tracks() -> None:
    errors = []
    for seed in range(20):
        ts, lat, lon = star_days(20, seed=seed)
        zones = draw_zones([HOME], RADIUS_M, False, random.Random(seed))
        keep = np.asarray(privacy_zone_mask(lat, lon, zones))
        errors.append(_errors(ts, lat, lon, keep, HOME))
    print(_summary(errors, "attack"))
    assert np.mean([e["attack"] <= 50 for e in errors]) >= 0.9


@pytest.mark.xfail(
    strict=True,
    reason="measured: the attack misses home by >= R/2 on 13/20 star tracks (median 356 m, none within "
    "50 m): with whole trips withheld only the day's destinations remain, and they lie 2-5 km from "
    "home in uniformly random directions, so the circle through them is centred near home; that is "
    "a leak of the places released, which no zone around home can hide",
)
def test_randomised_zones_hold_on_star_tracks() -> None:
    errors = _star_errors()
    assert np.mean([e["attack"] >= RADIUS_M / 2 for e in errors]) >= 0.9


def test_withheld_trips_leave_no_direction_back_home_on_star_tracks() -> None:
    errors = _star_errors()
    assert all(e.get("directions", np.inf) >= RADIUS_M / 2 for e in errors)


@functools.cache
def _star_errors() -> list[dict[str, float]]:
    errors = []
    for seed in range(20):
        ts, lat, lon = star_days(20, seed=seed)
        errors.append(_errors(ts, lat, lon, _released(ts, lat, lon, HOME, True, seed), HOME))
    for method in ("attack", "circle", "directions"):
        print(f"star tracks, randomised zones {_summary(errors, method)}")
    return errors


@pytest.fixture(scope="module")
def people() -> list:
    demo = pytest.importorskip("vault.demo")
    return demo.population(100, seed=7, days=28)


def test_home_found_within_250_m_for_nine_in_ten(people: list) -> None:
    hits = 0
    for p in people:
        hw = infer_home_work(p.ts_ms, p.lat, p.lon, p.zone)
        hits += (
            hw.home is not None
            and float(haversine_m(hw.home.lat, hw.home.lon, p.home_lat, p.home_lon)) <= 250
        )
    assert hits / len(people) >= 0.9


def _population_errors(people: list, randomize: bool) -> list[dict[str, float]]:
    errors, kept = [], []
    for p in people:
        home = (p.home_lat, p.home_lon)
        keep = _released(p.ts_ms, p.lat, p.lon, home, randomize, p.person_id)
        errors.append(_errors(p.ts_ms, p.lat, p.lon, keep, home))
        kept.append(keep.mean())
    for method in ("attack", "circle", "directions"):
        print(f"randomize={randomize} {_summary(errors, method)}")
    print(f"randomize={randomize} fixes released: {np.mean(kept):.0%}")
    return errors


def test_attack_works_on_centred_zones(people: list) -> None:
    errors = _population_errors(people, randomize=False)
    assert np.mean([e["attack"] <= 50 for e in errors]) >= 0.9


def test_randomised_zones_defeat_the_circle_fit(people: list) -> None:
    errors = _population_errors(people, randomize=True)
    assert np.mean([e.get("circle", np.inf) >= RADIUS_M / 2 for e in errors]) >= 0.9


def test_randomised_zones_defeat_the_attack(people: list) -> None:
    errors = _population_errors(people, randomize=True)
    assert np.mean([e["attack"] >= RADIUS_M / 2 for e in errors]) >= 0.9
