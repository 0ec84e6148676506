"""Instagram "Download your information" activity JSON (2020-2023 and 2024+ layouts).

| file (top-level key) | becomes |
|---|---|
| content/posts_N.json (list) | Post post: caption, time, photo coordinates from EXIF when present |
| stories.json (`ig_stories`) | Post story |
| post_comments_N.json (list), comments.json (`comments_media_comments`), reels_comments.json (`comments_reels_comments`) | Post comment (community: the media owner) |
| liked_posts.json (`likes_media_likes`), liked_comments.json (`likes_comment_likes`) | Interaction like (2024+ `label_values` entries too) |
| saved_posts.json (`saved_saved_media`) | Interaction save (2024+ `label_values` entries too) |
| followers_N.json (list), `relationships_followers` | Interaction follower |
| following.json (`relationships_following`) | Interaction follow |
| account_searches.json, word_or_phrase_searches.json, tag_searches.json (`searches_*`) | Interaction search |
| personal_information.json (`profile_user`) | the owner's Person; facts email, phone, username, name, gender, birth_date |
| login_activity.json (`account_history_login_history`) | fact ip_address with time |
| ads_interests.json (`inferred_data_ig_interest`) | fact ad_interest (high) |
| advertisers_using_your_activity_or_information.json (`ig_custom_audiences_all_types`) | fact ad_audience_of |

Direct messages (`messages/inbox/*/message_N.json`) belong to the Messenger importer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from importers._social_common import SELF_KEY, seconds_ms, text_of
from importers._social_meta import (
    Handler,
    claim,
    detect_in,
    invalid,
    label_values,
    map_time,
    map_value,
    run,
    string_list,
    string_map,
)
from vault.records import (
    Detection,
    ImportOptions,
    Interaction,
    Invalid,
    MalformedExport,
    Person,
    Post,
    ProfileFact,
    Record,
    SourceFile,
)

NAME = "instagram_activity"
PLATFORM = "instagram"
VERSION = "1"


def _exif_position(media: list[Any]) -> tuple[float | None, float | None]:
    for item in media:
        meta = item.get("media_metadata") if isinstance(item, dict) else None
        photo = meta.get("photo_metadata") if isinstance(meta, dict) else None
        for exif in photo.get("exif_data") or [] if isinstance(photo, dict) else []:
            if isinstance(exif, dict) and "latitude" in exif and "longitude" in exif:
                return float(exif["latitude"]), float(exif["longitude"])
    return None, None


def post(item: Any, where: str, kind: str = "post") -> Iterator[Record]:
    """A post (one or more media) or a story."""
    media = item.get("media") if isinstance(item, dict) else None
    media = media if isinstance(media, list) else [item] if isinstance(item, dict) else []
    first = media[0] if media and isinstance(media[0], dict) else {}
    ts = seconds_ms(item.get("creation_timestamp") if isinstance(item, dict) else None)
    ts = ts or seconds_ms(first.get("creation_timestamp"))
    if ts is None:
        yield from invalid(f"{kind} without creation_timestamp", where)
        return
    caption = text_of(item.get("title")) or text_of(first.get("title"))
    lat, lon = _exif_position(media)
    uri = text_of(first.get("uri"))
    yield Post(kind, ts, caption, source_id=uri, author=SELF_KEY, lat=lat, lon=lon)


def story(item: Any, where: str) -> Iterator[Record]:
    """`stories.json`: one story."""
    yield from post(item, where, "story")


def comment(item: Any, where: str) -> Iterator[Record]:
    """A comment: 2022+ `string_map_data`, or older `string_list_data` under the media owner."""
    data = string_map(item)
    if data:
        text, ts, owner = map_value(data, "comment"), map_time(data), map_value(data, "media owner")
    else:
        entries = string_list(item)
        first = entries[0] if entries else {}
        text, ts = text_of(first.get("value")), seconds_ms(first.get("timestamp"))
        owner = text_of(item.get("title")) if isinstance(item, dict) else None
    if ts is None:
        yield from invalid("comment without time", where)
        return
    yield Post("comment", ts, text, community=owner, author=SELF_KEY)


def _labelled(kind: str, item: dict[str, Any]) -> Interaction | None:
    """An interaction from the 2024+ `label_values` layout (a URL label, an owner's user name)."""
    labels = label_values(item)
    target = labels.get("url")
    if target is None:
        return None
    return Interaction(kind, seconds_ms(item.get("timestamp")), target, labels.get("username"))


def _listed(kind: str, item: Any, where: str) -> Iterator[Record]:
    if isinstance(item, dict) and "label_values" in item:
        labelled = _labelled(kind, item)
        yield labelled if labelled is not None else Invalid(f"{kind} entry without URL label", where)
        return
    entries = string_list(item)
    title = text_of(item.get("title")) if isinstance(item, dict) else None
    if not entries and title is None:
        yield from invalid(f"{kind} entry without data", where)
        return
    for entry in entries or [{}]:
        target = text_of(entry.get("href")) or text_of(entry.get("value")) or title
        value = text_of(entry.get("value")) if kind == "like" else (text_of(entry.get("value")) or title)
        yield Interaction(kind, seconds_ms(entry.get("timestamp")), target or "", value)


def like(item: Any, where: str) -> Iterator[Record]:
    """A liked post or comment (target: its link; value: the reaction)."""
    yield from _listed("like", item, where)


def follower(item: Any, where: str) -> Iterator[Record]:
    """An account following the owner."""
    yield from _listed("follower", item, where)


def following(item: Any, where: str) -> Iterator[Record]:
    """An account the owner follows."""
    yield from _listed("follow", item, where)


def saved(item: Any, where: str) -> Iterator[Record]:
    """A saved post (target: its link; value: its owner)."""
    if isinstance(item, dict) and "label_values" in item:
        labelled = _labelled("save", item)
        yield labelled if labelled is not None else Invalid("saved item without URL label", where)
        return
    data = string_map(item)
    target = map_value(data, "saved on") or (text_of(item.get("title")) if isinstance(item, dict) else None)
    if target is None:
        yield from invalid("saved item without link or owner", where)
        return
    yield Interaction("save", map_time(data), target, text_of(item.get("title")))


def search(item: Any, where: str) -> Iterator[Record]:
    """A search the owner ran."""
    data = string_map(item)
    query = map_value(data, "search") or next((text_of(e.get("value")) for e in string_list(item)), None)
    if query is None:
        yield from invalid("search without text", where)
        return
    yield Interaction("search", map_time(data), query)


_PROFILE = {
    "email": ("email", "medium"),
    "email address": ("email", "medium"),
    "phone number": ("phone", "high"),
    "phone": ("phone", "high"),
    "username": ("username", "medium"),
    "name": ("name", "medium"),
    "gender": ("gender", "high"),
    "date of birth": ("birth_date", "high"),
    "bio": ("bio", "low"),
    "website": ("website", "low"),
}


def profile(item: Any, where: str) -> Iterator[Record]:
    """`personal_information.json`: the owner and the account's facts."""
    data = string_map(item)
    if not data:
        yield from invalid("profile without string_map_data", where)
        return
    facts = [
        (key, sens, value) for label, (key, sens) in _PROFILE.items() if (value := map_value(data, label))
    ]
    found = {key: value for key, _, value in facts}
    yield Person(
        SELF_KEY,
        found.get("name") or found.get("username"),
        is_self=True,
        phones=(found["phone"],) if "phone" in found else (),
        emails=(found["email"],) if "email" in found else (),
        handles=(found["username"],) if "username" in found else (),
    )
    for key, sensitivity, value in facts:
        yield ProfileFact(key, value, None, sensitivity)
    for label in sorted(set(data) - set(_PROFILE)):
        if (value := map_value(data, label)) is not None:
            yield ProfileFact(f"setting:{label}", value, None, "low")


def login(item: Any, where: str) -> Iterator[Record]:
    """`login_activity.json`: the address and time of a login."""
    data = string_map(item)
    ip = map_value(data, "ip address")
    if ip is None:
        yield from invalid("login without IP address", where)
        return
    yield ProfileFact("ip_address", ip, map_time(data), "high")


def _named_fact(key: str, sensitivity: str) -> Handler:
    def handler(item: Any, where: str) -> Iterator[Record]:
        value = map_value(string_map(item), "interest", "name") or next(
            (text_of(e.get("value")) for e in string_list(item)), None
        )
        if value is None:
            value = text_of(item.get("advertiser_name")) if isinstance(item, dict) else None
        if value is None:
            yield from invalid(f"{key} entry without a name", where)
            return
        yield ProfileFact(key, value, None, sensitivity)

    return handler


KEYED: dict[str, Handler] = {
    "ig_stories": story,
    "comments_media_comments": comment,
    "comments_reels_comments": comment,
    "likes_media_likes": like,
    "likes_comment_likes": like,
    "saved_saved_media": saved,
    "relationships_followers": follower,
    "relationships_following": following,
    "searches_user": search,
    "searches_keyword": search,
    "searches_hashtag": search,
    "profile_user": profile,
    "account_history_login_history": login,
    "inferred_data_ig_interest": _named_fact("ad_interest", "high"),
    "ig_custom_audiences_all_types": _named_fact("ad_audience_of", "medium"),
}
LISTED: dict[str, tuple[bytes, Handler]] = {
    "posts": (b'"creation_timestamp"', post),
    "post_comments": (b'"string_map_data"', comment),
    "followers": (b'"string_list_data"', follower),
}


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim an Instagram activity file by its top-level key, or a bare list by name and content."""
    return claim(detect_in(source, head, KEYED, LISTED))


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Stream the file's entries into records."""
    with source.open() as handle:
        head = handle.read(64 * 1024)
    found = detect_in(source, head, KEYED, LISTED)
    if found is None:
        raise MalformedExport(f"{source.name}: not an Instagram activity file")
    yield from run(source, found)
