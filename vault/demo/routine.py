"""The persona's days as a sequence of stays and moves, with a local-time weekly rhythm."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from vault.demo.persona import Persona, TripPlan
from vault.demo.truth import Place

MINUTE_MS = 60_000


class Segment(NamedTuple):
    """A stay at a place or a move between two places, in UTC milliseconds."""

    kind: str  # stay, move
    start_ms: int
    end_ms: int
    place: Place  # where the stay is, or the move's destination
    origin: Place | None = None  # the move's origin
    mode: str | None = None  # WALKING, CYCLING, IN_SUBWAY, IN_BUS, IN_TRAIN, ...
    zone: str = "Europe/Berlin"  # the local zone in effect


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def local_ms(zone: ZoneInfo, day: date, minutes: float) -> int:
    """UTC ms of a local wall-clock time `minutes` after the day's local midnight."""
    wall = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(minutes=minutes)
    return int(wall.timestamp() * 1000)


def _mode(dist: float, day: date, abroad: bool, rng: random.Random) -> tuple[str, float]:
    """Mode and speed (m/s) for a move of `dist` metres."""
    if dist < 1200:
        return "WALKING", 1.35
    if abroad:
        return rng.choice([("IN_BUS", 6.0), ("IN_PASSENGER_VEHICLE", 8.0)])
    if 4 <= day.month <= 10 and dist < 9000:
        return "CYCLING", 4.2
    return ("IN_SUBWAY", 7.0) if rng.random() < 0.75 else ("IN_BUS", 5.5)


class DayBuilder:
    """Appends stays and moves for one day, never crossing the day's end."""

    def __init__(self, start_ms: int, end_ms: int, place: Place, zone: str, rng: random.Random):
        self.cur_ms, self.end_ms, self.place, self.zone, self.rng = start_ms, end_ms, place, zone, rng
        self.segments: list[Segment] = []

    def go(self, dest: Place, leave_ms: int, mode: str | None = None, speed: float = 0.0) -> bool:
        """Stay until `leave_ms`, then move to `dest`; False when it would not fit the day."""
        leave_ms = max(leave_ms, self.cur_ms + 5 * MINUTE_MS)
        dist = distance_m(self.place.lat, self.place.lon, dest.lat, dest.lon)
        if mode is None:
            mode, speed = _mode(
                dist,
                datetime.fromtimestamp(leave_ms / 1000, UTC).date(),
                self.zone != "Europe/Berlin",
                self.rng,
            )
        travel_ms = int(dist * 1.3 / speed * 1000) + self.rng.randint(2, 8) * MINUTE_MS
        if leave_ms + travel_ms > self.end_ms - 10 * MINUTE_MS:
            return False
        self.segments.append(Segment("stay", self.cur_ms, leave_ms, self.place, None, None, self.zone))
        self.segments.append(
            Segment("move", leave_ms, leave_ms + travel_ms, dest, self.place, mode, self.zone)
        )
        self.cur_ms, self.place = leave_ms + travel_ms, dest
        return True

    def finish(self) -> list[Segment]:
        """Stay at the current place until the day ends."""
        if self.cur_ms < self.end_ms:
            self.segments.append(Segment("stay", self.cur_ms, self.end_ms, self.place, None, None, self.zone))
        return self.segments


def _minutes(rng: random.Random, mean: float, spread: float) -> float:
    """A local time in minutes, normally spread around `mean`."""
    return rng.gauss(mean, spread)


def _home_day(p: Persona, day: date, b: DayBuilder, rng: random.Random) -> None:
    """An ordinary day in Berlin: work on weekdays, errands and friends at weekends."""
    z = ZoneInfo(p.zone)
    weekday = day.weekday()
    shop, cafe, park, friend, bar, lunch = p.errands
    if weekday < 5 and rng.random() > 0.12:
        b.go(p.work, local_ms(z, day, _minutes(rng, 7 * 60 + 45, 20)))
        if rng.random() < 0.5:
            b.go(lunch, local_ms(z, day, _minutes(rng, 12 * 60 + 30, 15)))
            b.go(p.work, b.cur_ms + rng.randint(35, 55) * MINUTE_MS)
        leave = local_ms(z, day, _minutes(rng, 17 * 60 + 20, 35))
        if weekday in (0, 2, 4) and rng.random() < 0.8:
            b.go(p.gym, leave)
            b.go(p.home, b.cur_ms + rng.randint(60, 95) * MINUTE_MS)
        elif weekday == 3 and rng.random() < 0.4:
            b.go(bar, leave)
            b.go(p.home, b.cur_ms + rng.randint(120, 210) * MINUTE_MS)
        else:
            b.go(shop if rng.random() < 0.4 else p.home, leave)
            if b.place is shop:
                b.go(p.home, b.cur_ms + rng.randint(15, 35) * MINUTE_MS)
        return
    b.go(rng.choice([shop, cafe]), local_ms(z, day, _minutes(rng, 10 * 60 + 30, 45)))
    b.go(p.home, b.cur_ms + rng.randint(20, 70) * MINUTE_MS)
    if rng.random() < 0.6:
        b.go(rng.choice([park, friend, bar, p.gym]), local_ms(z, day, _minutes(rng, 15 * 60, 60)))
        b.go(p.home, b.cur_ms + rng.randint(90, 240) * MINUTE_MS)


def _trip_day(p: Persona, trip: TripPlan, day: date, b: DayBuilder, rng: random.Random) -> None:
    """A day abroad: travel on the first and last day, sightseeing between."""
    index = (day - trip.start).days
    berlin, there = ZoneInfo(p.zone), ZoneInfo(trip.zone)
    if index == 0:
        b.go(p.airport, local_ms(berlin, day, _minutes(rng, 9 * 60, 30)), "IN_TRAIN", 12.0)
        b.go(trip.airport, b.cur_ms + 90 * MINUTE_MS, "FLYING", 210.0)
        b.zone = trip.zone
        b.go(trip.hotel, b.cur_ms + 30 * MINUTE_MS)
        return
    if index == trip.days - 1:
        b.go(trip.airport, local_ms(there, day, _minutes(rng, 8 * 60, 20)), "IN_PASSENGER_VEHICLE", 9.0)
        b.go(p.airport, b.cur_ms + 90 * MINUTE_MS, "FLYING", 210.0)
        b.zone = p.zone
        b.go(p.home, b.cur_ms + 20 * MINUTE_MS, "IN_TRAIN", 12.0)
        return
    sights = rng.sample(list(trip.sights), 2)
    b.go(sights[0], local_ms(there, day, _minutes(rng, 10 * 60, 40)))
    b.go(sights[1], b.cur_ms + rng.randint(90, 180) * MINUTE_MS)
    b.go(trip.hotel, b.cur_ms + rng.randint(90, 180) * MINUTE_MS)


def _trip_on(p: Persona, day: date) -> TripPlan | None:
    """The trip that covers a local date, if any."""
    for trip in p.trips:
        if 0 <= (day - trip.start).days < trip.days:
            return trip
    return None


def _bounds(p: Persona, day: date) -> tuple[int, int, Place, str]:
    """Start and end ms of a day, where it starts and in which zone."""
    today, tomorrow = _trip_on(p, day), _trip_on(p, day + timedelta(days=1))
    start_zone = today.zone if today and (day - today.start).days > 0 else p.zone
    end_zone = tomorrow.zone if tomorrow and (day + timedelta(days=1) - tomorrow.start).days > 0 else p.zone
    start = local_ms(ZoneInfo(start_zone), day, 0)
    end = local_ms(ZoneInfo(end_zone), day + timedelta(days=1), 0)
    place = today.hotel if today and (day - today.start).days > 0 else p.home
    return start, end, place, start_zone


def plan_day(p: Persona, day: date) -> list[Segment]:
    """The segments of one local day, drawn from a generator keyed by seed and date."""
    rng = random.Random(f"{p.seed}:{day.isoformat()}")
    start, end, place, zone = _bounds(p, day)
    builder = DayBuilder(start, end, place, zone, rng)
    trip = _trip_on(p, day)
    if trip is None:
        _home_day(p, day, builder, rng)
    else:
        _trip_day(p, trip, day, builder, rng)
    return builder.finish()


def plan(p: Persona) -> Iterator[Segment]:
    """All segments of the period, with stays that cross midnight joined into one."""
    pending: Segment | None = None
    for offset in range(p.days):
        for seg in plan_day(p, p.start + timedelta(days=offset)):
            if pending and pending.kind == seg.kind == "stay" and pending.place == seg.place:
                pending = pending._replace(end_ms=seg.end_ms)
                continue
            if pending:
                yield pending
            pending = seg
    if pending:
        yield pending
