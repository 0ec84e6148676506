"""WhatsApp message headers: one pattern for every locale's date and clock, and the date order."""

from __future__ import annotations

import itertools
import re
from calendar import monthrange
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

_AMPM = (
    r"[AaPp]\.?[ \u00a0\u202f]?[Mm]\.?|vorm\.|nachm\.|午前|午後|上午|下午|오전|오후|ص|م|"
    r"π\.?[ \u00a0\u202f]?μ\.?|μ\.?[ \u00a0\u202f]?μ\.?"
)

# Groups: 0 opening bracket, 1-4 date fields and their separator, 5 marker before the time (CJK),
# 6 hour, 7 minute, 8 second, 9 marker after the time, 10 how the header ends.
HEADER = re.compile(
    r"^[\u200e\u200f\ufeff]*(\[)?"
    r"(\d{1,4})([./\-,] ?| )(\d{1,4})\3(\d{1,4})\.?"
    r"(?:,|[ \t\u00a0\u202f]+à|[ \t\u00a0\u202f]+klo|[ \t\u00a0\u202f]+-)?[ \t\u00a0\u202f]*"
    rf"(?:({_AMPM})[ \t\u00a0\u202f]*)?"
    r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?"
    rf"(?:[ \t\u00a0\u202f_]*({_AMPM}))?"
    r"(\][ \t\u00a0\u202f]|[ \t\u00a0\u202f]*[-–][ \t\u00a0\u202f]|:[ \t\u00a0\u202f]|"
    r"[ \t\u00a0\u202f]*;[ \t\u00a0\u202f]|[ \t\u00a0\u202f])",
    re.MULTILINE,
)

_PM = frozenset({"pm", "nachm", "午後", "下午", "오후", "م", "μμ"})

ORDERS = ("dmy", "mdy", "ymd")

DateFields = tuple[str, str, str]


def is_pm(marker: str) -> bool:
    """Tell whether a 12-hour clock marker ("p. m.", "PM", "午後"...) means afternoon."""
    return _MARKER_NOISE.sub("", marker).lower() in _PM


_MARKER_NOISE = re.compile(r"[ .\u00a0\u202f]")


def _ymd(order: str, a: int, b: int, c: int) -> tuple[int, int, int]:
    if order == "dmy":
        return c, b, a
    if order == "mdy":
        return c, a, b
    return a, b, c


def _full_year(year: int) -> int:
    return year + 2000 if year < 100 else year


def to_date(order: str, a: str, b: str, c: str) -> tuple[int, int, int] | None:
    """Read three date fields in `order`; None when they make no real calendar date."""
    y, m, d = _ymd(order, int(a), int(b), int(c))
    year_text = (a, b, c)[order.index("y")]
    if len(year_text) == 3 or (len(year_text) < 4 and max(len(a), len(b), len(c)) == 4):
        return None
    y = _full_year(y)
    if not (1 <= m <= 12 and 1970 <= y <= 2100) or not 1 <= d <= monthrange(y, m)[1]:
        return None
    return y, m, d


def choose_order(dates: list[DateFields], forced: str | None) -> str:
    """Pick the date order: fewest impossible dates, then time running forward, then the span."""
    if forced:
        return forced
    scores = []
    for rank, order in enumerate(ORDERS):
        parsed = [to_date(order, *fields) for fields in dates]
        valid = [p for p in parsed if p is not None]
        if not valid:
            continue
        backwards = sum(1 for x, y in itertools.pairwise(valid) if y < x)
        span = _ordinal(max(valid)) - _ordinal(min(valid))
        scores.append((len(parsed) - len(valid), backwards, span, rank, order))
    return min(scores)[4] if scores else "dmy"


def _ordinal(ymd: tuple[int, int, int]) -> int:
    return datetime(*ymd).toordinal()


# A date as written, with how it was written: (bracket, separator, 12-hour marker, a, b, c).
DateKey = tuple[str | None, ...]
_EXACT = -1


def date_key(written: tuple[str | None, ...]) -> DateKey:
    """A header's date with the shape it was written in, from groups (bracket, a, separator, b,
    c, marker before the time, marker after it)."""
    bracket, a, separator, b, c, before, after = written
    return (bracket, separator, "12h" if before or after else None, a, b, c)


# A header's hour as written: (bracket, a, separator, b, c, marker before, hour, marker after).
HourKey = tuple[str | None, ...]
_MINUTES = {f"{n:02d}": n for n in range(60)}
_SECONDS: dict[str | None, int] = {None: 0, "": 0, **{f"{n:02d}": n for n in range(100)}}
_MISSING = object()


class HeaderClock:
    """Turn header fields into UTC milliseconds in one zone, caching each day and hour of the file."""

    def __init__(self, tz: ZoneInfo, dates: dict[DateKey, tuple[int, int, int] | None]) -> None:
        self._tz = tz
        self._dates = dates
        self._hours: dict[HourKey, Any] = {}
        self._days: dict[tuple[int, int, int], int] = {}

    def stamps(self, columns: list[list[str | None]]) -> list[int | None]:
        """UTC ms of every header, from the header groups' columns (the earlier one when clocks
        go back); None where the date or time is impossible. One loop, no call per header."""
        c = columns
        hours, hour_base, exact = self._hours, self._hour_base, self._exact
        out: list[int | None] = []
        append = out.append
        keys = zip(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[9], strict=True)
        minutes: Iterator[int | None] = map(_MINUTES.get, c[7])  # type: ignore[arg-type]
        for key, minute, second in zip(keys, minutes, map(_SECONDS.get, c[8]), strict=True):
            base = hours.get(key, _MISSING)
            if base is _MISSING:
                base = hours[key] = hour_base(key)
            if base is None or minute is None:
                append(None)
            elif base == _EXACT:
                append(exact(key, minute, second or 0))
            else:
                append(base + minute * 60_000 + (second or 0) * 1000)
        return out

    @staticmethod
    def _date_key(key: HourKey) -> DateKey:
        return date_key((*key[:6], key[7]))

    @staticmethod
    def _hour(key: HourKey) -> int:
        hour = int(key[6])  # type: ignore[arg-type]
        marker = key[5] or key[7]
        return hour % 12 + (12 if is_pm(marker) else 0) if marker else hour

    def _hour_base(self, key: HourKey) -> int | None:
        """The hour's start in UTC ms; _EXACT when the zone's offset changes within the hour."""
        ymd, hour = self._dates[self._date_key(key)], self._hour(key)
        if ymd is None or hour > 23:
            return None
        midnight = self._days.get(ymd)
        if midnight is None:
            midnight = self._days[ymd] = self._midnight(ymd)
        if midnight != _EXACT:
            return midnight + hour * 3_600_000
        start = datetime(*ymd, hour, tzinfo=self._tz)
        if start.utcoffset() != datetime(*ymd, hour, 59, 59, tzinfo=self._tz).utcoffset():
            return _EXACT
        return int(start.timestamp()) * 1000

    def _midnight(self, ymd: tuple[int, int, int]) -> int:
        """The day's start in UTC ms when the zone keeps one offset all day; else _EXACT."""
        start = datetime(*ymd, tzinfo=self._tz)
        if start.utcoffset() != datetime(*ymd, 23, 59, 59, tzinfo=self._tz).utcoffset():
            return _EXACT
        return int(start.timestamp()) * 1000

    def _exact(self, key: HourKey, minute: int, second: int) -> int:
        ymd = self._dates[self._date_key(key)]
        assert ymd is not None
        local = datetime(*ymd, self._hour(key), minute, second, tzinfo=self._tz)
        return int(local.timestamp()) * 1000
