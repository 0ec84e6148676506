"""Street-following routes and phone-like sampling along them, in local metres (for the population)."""

from __future__ import annotations

import numpy as np

WALK_MPS, BIKE_MPS, RIDE_MPS = 1.4, 4.5, 9.0
MOVING_STEP_S = 60.0  # phones log about every minute while moving
STILL_STEP_S = 600.0  # and about every ten minutes while still
BLOCK_M = (80.0, 400.0)  # street legs between turns


def speed_for(length_m: float) -> float:
    """Walk short trips, cycle middle ones, ride long ones."""
    if length_m < 1_500:
        return WALK_MPS
    return BIKE_MPS if length_m < 5_000 else RIDE_MPS


def staircase(rng: np.random.Generator, start: np.ndarray, end: np.ndarray, grid_angle: float) -> np.ndarray:
    """A route from start to end along a street grid at `grid_angle`: alternating legs with turns."""
    rot = np.array([[np.cos(grid_angle), -np.sin(grid_angle)], [np.sin(grid_angle), np.cos(grid_angle)]])
    remaining = rot.T @ (end - start)
    axis = int(rng.integers(0, 2))
    corners = [np.zeros(2)]
    here = np.zeros(2)
    while np.abs(remaining).max() > 1.0:
        if abs(remaining[axis]) <= 1.0:
            axis = 1 - axis
        leg = min(abs(remaining[axis]), rng.uniform(*BLOCK_M)) * np.sign(remaining[axis])
        here = here.copy()
        here[axis] += leg
        remaining[axis] -= leg
        corners.append(here)
        axis = 1 - axis
    return start + np.array(corners) @ rot.T


def sample_move(
    rng: np.random.Generator, route: np.ndarray, t0: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """Fixes about once a minute along a route from t0; returns times, positions and arrival time."""
    steps = np.hypot(*np.diff(route, axis=0).T)
    along = np.concatenate(([0.0], np.cumsum(steps)))
    duration = along[-1] / speed_for(float(along[-1]))
    t = t0 + np.arange(MOVING_STEP_S, duration, MOVING_STEP_S) + rng.uniform(-10, 10)
    dist = (t - t0) / duration * along[-1]
    xy = np.stack((np.interp(dist, along, route[:, 0]), np.interp(dist, along, route[:, 1])), axis=1)
    return t, xy, t0 + duration


def sample_stay(
    rng: np.random.Generator, place: np.ndarray, t0: float, t1: float
) -> tuple[np.ndarray, np.ndarray]:
    """Fixes about every ten minutes while still at a place from t0 to t1."""
    t = np.arange(t0 + rng.uniform(0, STILL_STEP_S), t1, STILL_STEP_S)
    return t, np.tile(place, (len(t), 1))
