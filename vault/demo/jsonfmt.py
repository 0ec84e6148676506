"""JSON text in the exact layouts platforms write (Jackson's pretty printer, Google's Records.json)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any


def jackson(value: Any, indent: int = 0) -> str:
    """Format like Jackson's DefaultPrettyPrinter: `"key" : value`, `[ {`, `{ }`."""
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{ }"
        items = [
            f"{pad}  {json.dumps(k, ensure_ascii=False)} : {jackson(v, indent + 1)}" for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[ ]"
        if all(isinstance(v, dict) for v in value):
            return "[ " + ", ".join(jackson(v, indent) for v in value) + " ]"
        return "[ " + ", ".join(jackson(v, indent) for v in value) + " ]"
    return json.dumps(value, ensure_ascii=False)


def iso_utc_ms(ts_ms: int) -> str:
    """`2013-04-15T06:31:26.860Z`, without the fraction when it is zero (as Google writes it)."""
    dt = datetime.fromtimestamp(ts_ms // 1000, UTC)
    frac = ts_ms % 1000
    base = dt.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{base}.{frac:03d}Z" if frac else f"{base}Z"


def iso_offset(ts_ms: int, offset_min: int) -> str:
    """`2017-05-02T11:40:00+10:00`: local wall time with its offset, to the second."""
    tz = timezone(timedelta(minutes=offset_min))
    return datetime.fromtimestamp(ts_ms // 1000, tz).isoformat()


def degrees(lat: float, lon: float) -> str:
    """The on-device Timeline's `"52.4985510°, 13.4021090°"` point string."""
    return f"{lat:.7f}°, {lon:.7f}°"
