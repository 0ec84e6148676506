"""The endpoint-intersection attack and home inference, on hand-made tracks and a population."""

from __future__ import annotations

import random

import numpy as np
import pytest

from tests.reveal.tracks import HOME, star_days
from vault.places import haversine_m, infer_home_work
from vault.reveal.attacks import endpoint_intersection_attack, gap_endpoints

RADIUS_M = 500.0


def _attack_error(
    ts: np.ndarray, lat: np.ndarray, lon: np.ndarray, keep: np.ndarray, home: tuple[float, float]
) -> float:
    guess = endpoint_intersection_attack(ts[keep], lat[keep], lon[keep])
    return float("inf") if guess is None else float(haversine_m(guess.lat, guess.lon, *home))


def test_gap_endpoints_are_both_sides_of_each_gap() -> None:
    ts = np.array([0, 60_000, 120_000, 10_000_000, 10_060_000], dtype=np.int64)
    lat = np.arange(5, dtype=float)
    ends = gap_endpoints(ts, lat, np.zeros(5))
    assert ends[:, 0].tolist() == [2.0, 3.0]


def test_no_gaps_no_guess() -> None:
    ts = np.arange(100, dtype=np.int64) * 60_000
    assert endpoint_intersection_attack(ts, np.full(100, 52.5), np.full(100, 13.4)) is None


def test_attack_finds_a_centred_zone_on_star_tracks() -> None:
    from vault.anonymize.geo import draw_zones, privacy_zone_mask

    errors = []
    for seed in range(20):
        ts, lat, lon = star_days(20, seed=seed)
        zones = draw_zones([HOME], RADIUS_M, False, random.Random(seed))
        keep = np.asarray(privacy_zone_mask(lat, lon, zones))
        errors.append(_attack_error(ts, lat, lon, keep, HOME))
    assert np.mean(np.array(errors) <= 50) >= 0.9, errors


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


def _population_errors(people: list, randomize: bool) -> np.ndarray:
    from vault.anonymize.geo import draw_zones, privacy_zone_mask

    errors = []
    for p in people:
        home = (p.home_lat, p.home_lon)
        zones = draw_zones([home], RADIUS_M, randomize, random.Random(p.person_id))
        keep = np.asarray(privacy_zone_mask(p.lat, p.lon, zones))
        errors.append(_attack_error(p.ts_ms, p.lat, p.lon, keep, home))
    return np.array(errors)


@pytest.mark.xfail(
    strict=True,
    reason="measured 54% within 50 m (median 46 m, P90 865 m): the population's 10-minute fixes "
    "give only a dozen boundary points per person; see the reveal report",
)
def test_attack_works_on_centred_zones(people: list) -> None:
    assert np.mean(_population_errors(people, randomize=False) <= 50) >= 0.9


def test_randomised_zones_defeat_the_attack(people: list) -> None:
    assert np.mean(_population_errors(people, randomize=True) >= RADIUS_M / 2) >= 0.9
