"""Google location exports: Takeout Records.json, Semantic Location History, on-device Timeline.json."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from vault.demo.jsonfmt import degrees, iso_offset, iso_utc_ms, jackson
from vault.demo.location import Fix, segment_fixes
from vault.demo.routine import Segment, distance_m
from vault.demo.truth import Place

DEVICE_TAG = 1_684_323_217
SEMANTIC_TYPES = {"home": "TYPE_HOME", "work": "TYPE_WORK"}
TIMELINE_TYPES = {"home": "HOME", "work": "WORK"}


def place_id(place: Place) -> str:
    """A stable Google-looking place id for a place."""
    digest = hashlib.sha256(f"{place.name}|{place.lat}|{place.lon}".encode()).hexdigest()
    return "ChIJ" + digest[:23]


def _fix_entry(fix: Fix) -> str:
    """One Records.json location in Google's own layout."""
    lines = [
        f'    "latitudeE7": {fix.lat_e7},',
        f'    "longitudeE7": {fix.lon_e7},',
        f'    "accuracy": {fix.accuracy},',
    ]
    if fix.velocity is not None:
        lines += [
            f'    "velocity": {fix.velocity},',
            f'    "heading": {fix.heading},',
            f'    "altitude": {fix.altitude},',
            '    "verticalAccuracy": 3,',
        ]
    if fix.activity is not None:
        lines.append(
            '    "activity": [{\n      "activity": [{\n'
            f'        "type": "{fix.activity}",\n        "confidence": 100\n      }}],\n'
            f'      "timestamp": "{iso_utc_ms(fix.ts_ms + 1200)}"\n    }}],'
        )
    lines += [
        f'    "source": "{fix.source}",',
        f'    "deviceTag": {DEVICE_TAG},',
        '    "platformType": "ANDROID",',
        f'    "timestamp": "{iso_utc_ms(fix.ts_ms)}"',
    ]
    return "\n".join(lines)


def records_json(fixes: Iterable[Fix], chunk: int = 2000) -> Iterator[str]:
    """Records.json text in chunks, as Google writes it (`[{` ... `}, {` ... `}]`)."""
    yield '{\n  "locations": [{\n'
    buffer: list[str] = []
    first = True
    for fix in fixes:
        buffer.append(_fix_entry(fix))
        if len(buffer) >= chunk:
            yield ("" if first else "\n  }, {\n") + "\n  }, {\n".join(buffer)
            buffer, first = [], False
    if buffer:
        yield ("" if first else "\n  }, {\n") + "\n  }, {\n".join(buffer)
    yield "\n  }]\n}\n"


def _e7(value: float) -> int:
    return round(value * 1e7)


def _place_visit(seg: Segment) -> dict[str, Any]:
    """A Semantic Location History placeVisit for a stay."""
    p = seg.place
    location: dict[str, Any] = {
        "latitudeE7": _e7(p.lat),
        "longitudeE7": _e7(p.lon),
        "placeId": place_id(p),
        "address": p.address,
        "name": p.name,
    }
    if p.role in SEMANTIC_TYPES:
        location["semanticType"] = SEMANTIC_TYPES[p.role]
    location.update(
        {"sourceInfo": {"deviceTag": DEVICE_TAG}, "locationConfidence": 92.5, "calibratedProbability": 81.2}
    )
    return {
        "placeVisit": {
            "location": location,
            "duration": {"startTimestamp": iso_utc_ms(seg.start_ms), "endTimestamp": iso_utc_ms(seg.end_ms)},
            "placeConfidence": "HIGH_CONFIDENCE",
            "centerLatE7": _e7(p.lat) + 113,
            "centerLngE7": _e7(p.lon) - 87,
            "visitConfidence": 95,
            "otherCandidateLocations": [],
            "editConfirmationStatus": "NOT_CONFIRMED",
            "locationConfidence": 92,
            "placeVisitType": "SINGLE_PLACE",
            "placeVisitImportance": "MAIN",
        }
    }


def _activity_segment(seg: Segment, path: Sequence[Fix]) -> dict[str, Any]:
    """A Semantic Location History activitySegment for a move, with its simplified raw path."""
    o, d = seg.origin or seg.place, seg.place
    segment: dict[str, Any] = {
        "startLocation": {
            "latitudeE7": _e7(o.lat),
            "longitudeE7": _e7(o.lon),
            "sourceInfo": {"deviceTag": DEVICE_TAG},
        },
        "endLocation": {
            "latitudeE7": _e7(d.lat),
            "longitudeE7": _e7(d.lon),
            "sourceInfo": {"deviceTag": DEVICE_TAG},
        },
        "duration": {"startTimestamp": iso_utc_ms(seg.start_ms), "endTimestamp": iso_utc_ms(seg.end_ms)},
        "distance": round(distance_m(o.lat, o.lon, d.lat, d.lon)),
        "activityType": seg.mode,
        "confidence": "HIGH",
        "activities": [
            {"activityType": seg.mode, "probability": 91.3},
            {"activityType": "WALKING", "probability": 6.1},
        ],
        "waypointPath": {
            "waypoints": [
                {"latE7": _e7(o.lat), "lngE7": _e7(o.lon)},
                {"latE7": _e7(d.lat), "lngE7": _e7(d.lon)},
            ],
            "source": "INFERRED",
            "travelMode": seg.mode,
        },
    }
    if path:
        segment["simplifiedRawPath"] = {
            "points": [
                {
                    "latE7": f.lat_e7,
                    "lngE7": f.lon_e7,
                    "accuracyMeters": f.accuracy,
                    "timestamp": iso_utc_ms(f.ts_ms - f.ts_ms % 1000),
                }
                for f in path
            ]
        }
    segment["editConfirmationStatus"] = "NOT_CONFIRMED"
    return {"activitySegment": segment}


def semantic_history(
    seed: int, segments: Sequence[Segment], counts: Sequence[int], zone: str
) -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    """Monthly Semantic Location History files and their counts, keyed by path under the folder."""
    tz = ZoneInfo(zone)
    months: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    tallies: dict[tuple[int, int], dict[str, int]] = defaultdict(
        lambda: {"visits": 0, "trips": 0, "raw_path_points": 0}
    )
    for index, (seg, n) in enumerate(zip(segments, counts, strict=True)):
        local = datetime.fromtimestamp(seg.start_ms / 1000, UTC).astimezone(tz)
        key = (local.year, local.month)
        if seg.kind == "stay":
            months[key].append(_place_visit(seg))
            tallies[key]["visits"] += 1
            continue
        fixes = segment_fixes(seed, index, seg, n)
        path = fixes[:: max(1, len(fixes) // 3)][:3] if len(fixes) >= 10 else []
        months[key].append(_activity_segment(seg, path))
        tallies[key]["trips"] += 1
        tallies[key]["raw_path_points"] += len(path)
    files, counts_by_file = {}, {}
    for (year, month), objects in sorted(months.items()):
        name = f"{year}/{year}_{datetime(year, month, 1).strftime('%B').upper()}.json"
        files[name] = jackson_like_google({"timelineObjects": objects})
        counts_by_file[name] = tallies[(year, month)]
    return files, counts_by_file


def jackson_like_google(value: Any) -> str:
    """Semantic Location History's layout: two-space indent, `"key": value`."""
    import json

    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _offset_min(ts_ms: int, zone: str) -> int:
    """The UTC offset in minutes of a zone at an instant."""
    off = datetime.fromtimestamp(ts_ms / 1000, UTC).astimezone(ZoneInfo(zone)).utcoffset()
    return int(off.total_seconds() // 60) if off else 0


def _timeline_segment(seg: Segment) -> dict[str, Any]:
    """An on-device visit or activity segment."""
    off_start, off_end = _offset_min(seg.start_ms, seg.zone), _offset_min(seg.end_ms, seg.zone)
    out: dict[str, Any] = {
        "startTime": iso_offset(seg.start_ms, off_start),
        "endTime": iso_offset(seg.end_ms, off_end),
        "startTimeTimezoneUtcOffsetMinutes": off_start,
        "endTimeTimezoneUtcOffsetMinutes": off_end,
    }
    p = seg.place
    if seg.kind == "stay":
        out["visit"] = {
            "hierarchyLevel": 0,
            "probability": 0.93,
            "topCandidate": {
                "placeId": place_id(p),
                "semanticType": TIMELINE_TYPES.get(p.role, "UNKNOWN"),
                "probability": 0.87,
                "placeLocation": {"latLng": degrees(p.lat, p.lon)},
            },
        }
    else:
        o = seg.origin or p
        out["activity"] = {
            "start": {"latLng": degrees(o.lat, o.lon)},
            "end": {"latLng": degrees(p.lat, p.lon)},
            "distanceMeters": float(round(distance_m(o.lat, o.lon, p.lat, p.lon))),
            "topCandidate": {"type": seg.mode, "probability": 0.91},
        }
    return out


def _path_segment(seg: Segment, fixes: Sequence[Fix]) -> dict[str, Any]:
    """A timelinePath segment: the move's fixes every two minutes, times to the minute."""
    off = _offset_min(seg.start_ms, seg.zone)
    points = [
        {
            "point": degrees(f.lat_e7 / 1e7, f.lon_e7 / 1e7),
            "time": iso_offset(f.ts_ms - f.ts_ms % 60_000, off),
        }
        for f in fixes[::2]
    ]
    return {
        "startTime": iso_offset(seg.start_ms, off),
        "endTime": iso_offset(seg.end_ms, off),
        "timelinePath": points,
    }


def _raw_signal(fix: Fix, zone: str) -> dict[str, Any]:
    """A rawSignals position: the fix itself, to the second."""
    position: dict[str, Any] = {
        "LatLng": degrees(fix.lat_e7 / 1e7, fix.lon_e7 / 1e7),
        "accuracyMeters": fix.accuracy,
    }
    if fix.altitude is not None:
        position["altitudeMeters"] = float(fix.altitude)
    position["source"] = fix.source
    position["timestamp"] = iso_offset(fix.ts_ms, _offset_min(fix.ts_ms, zone))
    if fix.velocity is not None:
        position["speedMetersPerSecond"] = float(fix.velocity)
    return {"position": position}


def timeline_json(
    seed: int,
    segments: Sequence[Segment],
    counts: Sequence[int],
    since_ms: int,
    raw_since_ms: int,
    frequent: Sequence[Place],
) -> tuple[str, dict[str, int]]:
    """The Android on-device Timeline.json for segments from `since_ms`, raw signals from `raw_since_ms`."""
    out_segments: list[dict[str, Any]] = []
    raw: list[dict[str, Any]] = []
    tally = {"visits": 0, "trips": 0, "path_points": 0, "raw_positions": 0, "path_points_same_second": 0}
    for index, (seg, n) in enumerate(zip(segments, counts, strict=True)):
        if seg.end_ms <= since_ms:
            continue
        fixes = segment_fixes(seed, index, seg, n)
        out_segments.append(_timeline_segment(seg))
        tally["visits" if seg.kind == "stay" else "trips"] += 1
        if seg.kind == "move" and fixes:
            path = _path_segment(seg, fixes)
            out_segments.append(path)
            tally["path_points"] += len(path["timelinePath"])
            tally["path_points_same_second"] += sum(1 for f in fixes[::2] if f.ts_ms % 60_000 < 1000)
        for fix in fixes:
            if fix.ts_ms >= raw_since_ms:
                raw.append(_raw_signal(fix, seg.zone))
                tally["raw_positions"] += 1
                if tally["raw_positions"] % 7 == 0:
                    raw.append({"wifiScan": {}})
    profile = {
        "frequentPlaces": [
            {"placeId": place_id(p), "placeLocation": degrees(p.lat, p.lon), "label": p.role.upper()}
            for p in frequent
        ],
        "persona": {
            "travelModeAffinities": [
                {"mode": "WALKING", "affinity": 0.61},
                {"mode": "CYCLING", "affinity": 0.27},
                {"mode": "IN_SUBWAY", "affinity": 0.12},
            ]
        },
    }
    doc = {"semanticSegments": out_segments, "rawSignals": raw, "userLocationProfile": profile}
    return jackson(doc) + "\n", tally
