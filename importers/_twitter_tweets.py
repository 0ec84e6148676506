"""X tweets (`tweets.js`, older `tweet.js`, `deleted-tweets.js`): one Post per tweet."""

from __future__ import annotations

import posixpath
from datetime import datetime
from typing import Any

from importers._social_common import SELF_KEY, iso_ms, text_of
from vault.records import Attachment, Invalid, Post, Record

_MEDIA_KINDS = {"photo": "photo", "video": "video", "animated_gif": "gif"}


def tweet_ms(value: Any) -> int | None:
    """Milliseconds from X's `Fri Feb 24 06:58:32 +0000 2023` (or an ISO time)."""
    if not isinstance(value, str):
        return None
    try:
        return round(datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").timestamp() * 1000)
    except ValueError:
        return iso_ms(value)


def _offset_min(value: Any) -> int | None:
    try:
        offset = datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").utcoffset()
    except (TypeError, ValueError):
        return None
    return None if offset is None else int(offset.total_seconds() // 60)


def _kind(tweet: dict[str, Any], text: str | None) -> str:
    if "retweeted_status" in tweet or (text or "").startswith("RT @"):
        return "retweet"
    if text_of(tweet.get("in_reply_to_status_id_str")) or text_of(tweet.get("in_reply_to_status_id")):
        return "reply"
    return "tweet"


def _attachments(tweet: dict[str, Any]) -> tuple[Attachment, ...]:
    entities = tweet.get("extended_entities") or tweet.get("entities") or {}
    media = entities.get("media") if isinstance(entities, dict) else None
    found: list[Attachment] = []
    for item in media if isinstance(media, list) else []:
        if not isinstance(item, dict):
            continue
        url = text_of(item.get("media_url_https")) or text_of(item.get("media_url"))
        kind = _MEDIA_KINDS.get(str(item.get("type")), "file")
        found.append(Attachment(kind, posixpath.basename(url) if url else None))
    return tuple(found)


def _position(tweet: dict[str, Any]) -> tuple[float | None, float | None]:
    coordinates = tweet.get("coordinates")
    if isinstance(coordinates, dict):
        pair = coordinates.get("coordinates")
        if isinstance(pair, list) and len(pair) == 2:
            return float(pair[1]), float(pair[0])  # GeoJSON order: lon, lat
    geo = tweet.get("geo")
    if isinstance(geo, dict):
        pair = geo.get("coordinates")
        if isinstance(pair, list) and len(pair) == 2:
            return float(pair[0]), float(pair[1])
    return None, None


def _place(tweet: dict[str, Any]) -> str | None:
    place = tweet.get("place")
    return text_of(place.get("full_name")) if isinstance(place, dict) else None


def _score(tweet: dict[str, Any]) -> int | None:
    try:
        return int(tweet.get("favorite_count"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def tweet_record(item: Any, where: str, *, deleted: bool = False) -> Record:
    """A Post for one archive element (`{"tweet": {...}}`, or flat in some older archives)."""
    tweet = item.get("tweet", item) if isinstance(item, dict) else None
    if not isinstance(tweet, dict):
        return Invalid("tweet is not an object", where)
    ts = tweet_ms(tweet.get("created_at"))
    tweet_id = text_of(tweet.get("id_str")) or text_of(tweet.get("id"))
    if ts is None or tweet_id is None:
        return Invalid("tweet without id or creation time", where)
    text = text_of(tweet.get("full_text")) or text_of(tweet.get("text"))
    lat, lon = _position(tweet)
    return Post(
        kind=_kind(tweet, text),
        ts_ms=ts,
        text=text,
        url=f"https://x.com/i/web/status/{tweet_id}",
        source_id=tweet_id,
        parent_id=text_of(tweet.get("in_reply_to_status_id_str"))
        or text_of(tweet.get("in_reply_to_status_id")),
        score=_score(tweet),
        author=SELF_KEY,
        lat=lat,
        lon=lon,
        place_name=_place(tweet),
        tz_offset_min=_offset_min(tweet.get("created_at")),
        attachments=_attachments(tweet),
        edited=_edited(tweet, tweet_id),
        deleted=deleted or bool(tweet.get("deleted_at")),
    )


def _edited(tweet: dict[str, Any], tweet_id: str) -> bool:
    """An X edit chain lists every version's id: all but the last were edited."""
    info = tweet.get("edit_info")
    initial = info.get("initial") if isinstance(info, dict) else None
    ids = initial.get("editTweetIds") if isinstance(initial, dict) else None
    return isinstance(ids, list) and len(ids) > 1 and str(ids[-1]) != tweet_id
