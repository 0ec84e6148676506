"""X ad logs (`ad-impressions.js`, `ad-engagements.js`): who targeted the owner, and by what criteria."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from importers._social_common import iso_ms, text_of
from vault.records import Invalid, ProfileFact, Record

_SENSITIVE_TYPES = frozenset({"interests", "age", "gender", "locations", "languages", "conversation topics"})


class AdTargeting:
    """Turns ad log elements into one fact per targeting criterion and advertiser, first time kept."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str]] = set()

    def __call__(self, item: Any, where: str) -> Iterator[Record]:
        events = _events(item)
        if events is None:
            yield Invalid("ad log element without impressions or engagements", where)
            return
        for event in events:
            yield from self._event(event)

    def _event(self, event: dict[str, Any]) -> Iterator[Record]:
        ts = iso_ms(event.get("impressionTime"))
        advertiser = event.get("advertiserInfo")
        if isinstance(advertiser, dict) and text_of(advertiser.get("screenName")):
            yield from self._fact("ad_advertiser", str(advertiser["screenName"]), ts, "medium")
        for criterion in event.get("matchedTargetingCriteria") or []:
            if not isinstance(criterion, dict) or not text_of(criterion.get("targetingType")):
                continue
            kind = str(criterion["targetingType"]).strip()
            value = text_of(criterion.get("targetingValue")) or kind
            sensitivity = "high" if kind.lower() in _SENSITIVE_TYPES else "medium"
            yield from self._fact(f"ad_targeting:{kind.lower()}", value, ts, sensitivity)

    def _fact(self, key: str, value: str, ts: int | None, sensitivity: str) -> Iterator[Record]:
        if (key, value) not in self.seen:
            self.seen.add((key, value))
            yield ProfileFact(key, value, ts, sensitivity)


def _events(item: Any) -> list[dict[str, Any]] | None:
    """The impressions of one `{"ad": {"adsUserData": ...}}` element."""
    ad = item.get("ad") if isinstance(item, dict) else None
    data = ad.get("adsUserData") if isinstance(ad, dict) else None
    if not isinstance(data, dict):
        return None
    found: list[dict[str, Any]] = []
    for log in data.values():
        for entries in log.values() if isinstance(log, dict) else []:
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, dict):
                    continue
                attributes = entry.get("impressionAttributes", entry)  # engagements wrap them
                if isinstance(attributes, dict):
                    found.append(attributes)
    return found
