"""WhatsApp message headers: one pattern for every locale's date and clock, and the date order."""

from __future__ import annotations

import itertools
import re
from calendar import monthrange
from datetime import datetime
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
Fields = tuple[str | None, ...]
_EXACT = -1


def date_key(fields: Fields) -> DateKey:
    """The date part of a header's fields, with the shape of the header it was written in."""
    twelve_hour = "12h" if fields[5] or fields[9] else None
    return (fields[0], fields[2], twelve_hour, fields[1], fields[3], fields[4])


class HeaderClock:
    """Turn header fields into UTC milliseconds in one zone, caching each hour of the file."""

    def __init__(self, tz: ZoneInfo, dates: dict[DateKey, tuple[int, int, int] | None]) -> None:
        self._tz = tz
        self._dates = dates
        self._hours: dict[tuple[Fields, str | None], int | None] = {}

    def ms(self, fields: Fields) -> int | None:
        """UTC ms of a header (the earlier one when clocks go back); None when impossible."""
        hour_key = (fields[:7], fields[9])
        base = self._hours.get(hour_key, _EXACT)
        if base == _EXACT and hour_key not in self._hours:
            base = self._hours[hour_key] = self._hour_base(fields)
        minute = int(fields[7])  # type: ignore[arg-type]
        if base is None or minute > 59:
            return None
        second = int(fields[8]) if fields[8] else 0
        if base == _EXACT:
            return self._exact(fields, minute, second)
        return base + minute * 60_000 + second * 1000

    def _hour(self, fields: Fields) -> int:
        hour = int(fields[6])  # type: ignore[arg-type]
        marker = fields[5] or fields[9]
        return hour % 12 + (12 if is_pm(marker) else 0) if marker else hour

    def _hour_base(self, fields: Fields) -> int | None:
        """The hour's start in UTC ms; _EXACT when the zone's offset changes within the hour."""
        ymd, hour = self._dates[date_key(fields)], self._hour(fields)
        if ymd is None or hour > 23:
            return None
        start = datetime(*ymd, hour, tzinfo=self._tz)
        if start.utcoffset() != datetime(*ymd, hour, 59, 59, tzinfo=self._tz).utcoffset():
            return _EXACT
        return int(start.timestamp()) * 1000

    def _exact(self, fields: Fields, minute: int, second: int) -> int:
        ymd = self._dates[date_key(fields)]
        assert ymd is not None
        local = datetime(*ymd, self._hour(fields), minute, second, tzinfo=self._tz)
        return int(local.timestamp()) * 1000
