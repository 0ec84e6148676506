"""Facebook "Download your information" activity JSON (older and 2024+ `your_facebook_activity` layouts).

| file (top-level key) | becomes |
|---|---|
| your_posts_N.json, your_posts__check_ins__photos_and_videos_N.json (list) | Post post: text, place and coordinates, link |
| comments.json (`comments_v2`) | Post comment (community: the group, when there is one) |
| likes_and_reactions_N.json (list), posts_and_comments.json (`reactions_v2`) | Interaction like (value: the reaction) |
| your_saved_items.json (`saves_v2`) | Interaction save |
| your_search_history.json (`searches_v2`) | Interaction search |
| your_friends.json / friends.json (`friends_v2`) | Interaction follow (value: friend) |
| who_you've_followed.json (`following_v3`, `following_v2`) | Interaction follow |
| profile_information.json (`profile_v2`) | the owner's Person; facts email, phone, birth_date, gender, current_city, hometown, relationship, name, username, account_created |
| ads_interests.json (`topics_v2`), other_categories_used_to_reach_you.json (`bcts`) | facts ad_interest, ad_category (high) |
| advertisers_using_your_activity_or_information.json (`custom_audiences_all_types_v2`) | fact ad_audience_of |
| account_activity.json (`account_activity_v2`), logins_and_logouts.json (`account_accesses_v2`) | fact ip_address with time |

Messenger threads (`messages/*/message_N.json`) belong to the Messenger importer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from importers._social_common import SELF_KEY, seconds_ms, text_of
from importers._social_meta import Handler, claim, detect_in, invalid, run
from vault.records import (
    Detection,
    ImportOptions,
    Interaction,
    MalformedExport,
    Person,
    Post,
    ProfileFact,
    Record,
    SourceFile,
)

NAME = "facebook_activity"
PLATFORM = "facebook"
VERSION = "1"


def _data(item: Any) -> list[dict[str, Any]]:
    data = item.get("data") if isinstance(item, dict) else None
    return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []


def _attachment_data(item: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for attachment in item.get("attachments") or [] if isinstance(item, dict) else []:
        if isinstance(attachment, dict):
            found.extend(d for d in attachment.get("data") or [] if isinstance(d, dict))
    return found


def _place(item: Any) -> tuple[str | None, float | None, float | None]:
    for data in _attachment_data(item):
        place = data.get("place")
        if isinstance(place, dict):
            spot = place.get("coordinate")
            lat, lon = (
                (spot.get("latitude"), spot.get("longitude")) if isinstance(spot, dict) else (None, None)
            )
            return text_of(place.get("name")), _float(lat), _float(lon)
    return None, None, None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _link(item: Any) -> str | None:
    for data in _attachment_data(item):
        context = data.get("external_context")
        if isinstance(context, dict) and text_of(context.get("url")):
            return text_of(context.get("url"))
    return None


def post(item: Any, where: str) -> Iterator[Record]:
    """A post: its text, place and link."""
    ts = seconds_ms(item.get("timestamp") if isinstance(item, dict) else None)
    if ts is None:
        yield from invalid("post without timestamp", where)
        return
    text = next((text_of(d.get("post")) for d in _data(item) if text_of(d.get("post"))), None)
    name, lat, lon = _place(item)
    title = text_of(item.get("title"))
    yield Post(
        "post", ts, text, url=_link(item), title=title, author=SELF_KEY, lat=lat, lon=lon, place_name=name
    )


def comment(item: Any, where: str) -> Iterator[Record]:
    """A comment the owner wrote."""
    body: dict[str, Any] = next((d["comment"] for d in _data(item) if isinstance(d.get("comment"), dict)), {})
    ts = seconds_ms(body.get("timestamp")) or seconds_ms(
        item.get("timestamp") if isinstance(item, dict) else None
    )
    if ts is None:
        yield from invalid("comment without timestamp", where)
        return
    title = text_of(item.get("title")) if isinstance(item, dict) else None
    yield Post(
        "comment",
        ts,
        text_of(body.get("comment")),
        title=title,
        community=text_of(body.get("group")),
        author=SELF_KEY,
    )


def reaction(item: Any, where: str) -> Iterator[Record]:
    """A like or reaction (target: the item's title; value: LIKE, LOVE...)."""
    body: dict[str, Any] = next(
        (d["reaction"] for d in _data(item) if isinstance(d.get("reaction"), dict)), {}
    )
    title = text_of(item.get("title")) if isinstance(item, dict) else None
    if title is None and not body:
        yield from invalid("reaction without target", where)
        return
    ts = seconds_ms(item.get("timestamp") if isinstance(item, dict) else None)
    yield Interaction("like", ts, title or "", text_of(body.get("reaction")))


def saved(item: Any, where: str) -> Iterator[Record]:
    """A saved item (target: its link, else its title)."""
    target = _link(item) or (text_of(item.get("title")) if isinstance(item, dict) else None)
    if target is None:
        yield from invalid("saved item without link or title", where)
        return
    yield Interaction("save", seconds_ms(item.get("timestamp")), target, text_of(item.get("title")))


def search(item: Any, where: str) -> Iterator[Record]:
    """A search the owner ran."""
    texts = [text_of(str(d.get("text") or "").strip('"')) for d in _data(item) + _attachment_data(item)]
    query = next((t for t in texts if t), None)
    if query is None:
        yield from invalid("search without text", where)
        return
    yield Interaction("search", seconds_ms(item.get("timestamp")), query)


def _named(kind: str, value: str | None) -> Handler:
    def handler(item: Any, where: str) -> Iterator[Record]:
        name = text_of(item.get("name")) if isinstance(item, dict) else None
        if name is None:
            yield from invalid(f"{kind} entry without name", where)
            return
        yield Interaction(kind, seconds_ms(item.get("timestamp")), name, value)

    return handler


def _fact(key: str, sensitivity: str) -> Handler:
    def handler(item: Any, where: str) -> Iterator[Record]:
        value = text_of(item) or (text_of(item.get("name")) if isinstance(item, dict) else None)
        if value is None:
            yield from invalid(f"{key} entry without a name", where)
            return
        yield ProfileFact(key, value, None, sensitivity)

    return handler


def access(item: Any, where: str) -> Iterator[Record]:
    """A login, logout or session: its address and time."""
    ip = text_of(item.get("ip_address")) if isinstance(item, dict) else None
    if ip is None:
        yield from invalid("account activity without ip_address", where)
        return
    yield ProfileFact("ip_address", ip, seconds_ms(item.get("timestamp")), "high")


def profile(item: Any, where: str) -> Iterator[Record]:
    """`profile_information.json`: the owner and what Facebook holds about them."""
    if not isinstance(item, dict):
        yield from invalid("profile is not an object", where)
        return
    facts = list(_profile_facts(item))
    found: dict[str, list[str]] = {}
    for fact in facts:
        found.setdefault(fact.key, []).append(fact.value)
    name = next(iter(found.get("name", ())), None)
    yield Person(
        SELF_KEY, name, is_self=True, phones=tuple(found.get("phone", ())), emails=tuple(found.get("email", ())),
        handles=tuple(found.get("username", ())),
    )  # fmt: skip
    yield from facts


def _profile_facts(profile: dict[str, Any]) -> Iterator[ProfileFact]:
    name = profile.get("name")
    if isinstance(name, dict) and text_of(name.get("full_name")):
        yield ProfileFact("name", name["full_name"], None, "medium")
    emails = profile.get("emails")
    for email in (emails.get("emails") or []) if isinstance(emails, dict) else []:
        if text_of(email):
            yield ProfileFact("email", email, None, "medium")
    for phone in profile.get("phone_numbers") or []:
        if isinstance(phone, dict) and text_of(phone.get("phone_number")):
            yield ProfileFact("phone", phone["phone_number"], None, "high")
    birthday = profile.get("birthday")
    if isinstance(birthday, dict) and birthday.get("year"):
        date = f"{birthday['year']:04d}-{birthday.get('month') or 0:02d}-{birthday.get('day') or 0:02d}"
        yield ProfileFact("birth_date", date, None, "high")
    yield from _nested(profile, "gender", "gender_option", "gender", "high")
    yield from _nested(profile, "current_city", "name", "current_city", "high")
    yield from _nested(profile, "hometown", "name", "hometown", "high")
    yield from _nested(profile, "relationship", "status", "relationship", "high")
    if text_of(profile.get("username")):
        yield ProfileFact("username", profile["username"], None, "medium")
    created = seconds_ms(profile.get("registration_timestamp"))
    if created is not None:
        yield ProfileFact("account_created", str(profile["registration_timestamp"]), created, "low")


def _nested(
    profile: dict[str, Any], outer: str, inner: str, key: str, sensitivity: str
) -> Iterator[ProfileFact]:
    body = profile.get(outer)
    if isinstance(body, dict) and text_of(body.get(inner)):
        yield ProfileFact(key, str(body[inner]), seconds_ms(body.get("timestamp")), sensitivity)


KEYED: dict[str, Handler] = {
    "comments_v2": comment,
    "reactions_v2": reaction,
    "saves_v2": saved,
    "searches_v2": search,
    "friends_v2": _named("follow", "friend"),
    "following_v3": _named("follow", None),
    "following_v2": _named("follow", None),
    "topics_v2": _fact("ad_interest", "high"),
    "bcts": _fact("ad_category", "high"),
    "custom_audiences_all_types_v2": _fact("ad_audience_of", "medium"),
    "account_activity_v2": access,
    "account_accesses_v2": access,
}
PROFILE_KEY = "profile_v2"
LISTED: dict[str, tuple[bytes, Handler]] = {
    "your_posts": (b'"timestamp"', post),
    "your_posts__check_ins__photos_and_videos": (b'"timestamp"', post),
    "likes_and_reactions": (b'"reaction"', reaction),
}


def _found(source: SourceFile, head: bytes) -> tuple[str, Handler] | None:
    found = detect_in(source, head, {**KEYED, PROFILE_KEY: profile}, LISTED)
    if found is not None and found[0] == f"{PROFILE_KEY}.item":
        return PROFILE_KEY, profile  # one object, not a list
    return found


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim a Facebook activity file by its top-level key, or a bare list by name and content."""
    return claim(_found(source, head))


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Stream the file's entries into records."""
    with source.open() as handle:
        head = handle.read(64 * 1024)
    found = _found(source, head)
    if found is None:
        raise MalformedExport(f"{source.name}: not a Facebook activity file")
    yield from run(source, found)
