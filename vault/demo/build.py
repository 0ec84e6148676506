"""`generate`: write the persona's exports and the ground truth beside them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from vault.demo.build_platforms import (
    INSTAGRAM_PEERS,
    MESSENGER_PEERS,
    REDDIT_PEERS,
    TELEGRAM_PEERS,
    UNSAVED,
    X_PEERS,
    _locations,
    _meta,
    _reddit,
    _Run,
    _telegram,
    _vcard,
    _whatsapp,
    _x,
)
from vault.demo.notes import NOTES
from vault.demo.persona import Persona, phone_formats
from vault.demo.truth import Contact, GroundTruth, Place


def _contacts_with_keys(run: _Run) -> list[Contact]:
    """Contacts with each platform's key for them, as the files write it."""
    p, out = run.p, []
    tg_ids = run.tg_ids  # type: ignore[attr-defined]
    for i, c in enumerate(p.contacts):
        keys: dict[str, str] = {}
        if i < 30:
            keys["vcard"] = c.name
        if i in {0, 1, 2, 3, 5, 6, 7}:
            keys["whatsapp"] = c.name
        if i == UNSAVED:
            keys["whatsapp"] = phone_formats(c.phone)["international"]
        if i in TELEGRAM_PEERS or i == 13:
            keys["telegram"] = f"user{tg_ids[i]}"
        if i in MESSENGER_PEERS:
            keys["messenger"] = c.name
        if i in INSTAGRAM_PEERS:
            keys["instagram"] = c.name
        if i in X_PEERS:
            keys["x"] = run.x_peers[X_PEERS.index(i)][0]  # type: ignore[attr-defined]
        if i in REDDIT_PEERS:
            keys["reddit"] = run.reddit_peers[REDDIT_PEERS.index(i)]  # type: ignore[attr-defined]
        out.append(replace(c, keys=keys))
    return out


def _same_person(contacts: list[Contact]) -> list[dict[str, Any]]:
    """Contacts present on two or more platforms, and the identifier the files share, if any."""
    out = []
    for c in contacts:
        if len(c.keys) < 2:
            continue
        shared: dict[str, str] = {}
        if "vcard" in c.keys and ("telegram" in c.keys or c.keys.get("whatsapp", "").startswith("+")):
            shared["phone"] = c.phone
        out.append({"contact": c.name, "keys": dict(sorted(c.keys.items())), "shared": shared})
    return out


def _owner(run: _Run) -> dict[str, Any]:
    p = run.p
    return {
        "name": p.name,
        "first": p.first,
        "last": p.last,
        "phone": p.phone,
        "email": p.email,
        "birth_date": p.birth_date,
        "gender": p.gender,
        "keys": {
            "whatsapp": p.name,
            "telegram": f"user{run.tg_owner['user_id']}",  # type: ignore[attr-defined]
            "messenger": p.name,
            "instagram": p.name,
            "x": p.handles["x"],
            "reddit": p.handles["reddit"],
        },
        "handles": dict(sorted(p.handles.items())),
    }


def _trips(p: Persona) -> list[dict[str, Any]]:
    return [
        {
            "city": t.city,
            "country": t.country,
            "timezone": t.zone,
            "start": t.start.isoformat(),
            "end": (t.start + timedelta(days=t.days)).isoformat(),
            "hotel_lat": t.hotel.lat,
            "hotel_lon": t.hotel.lon,
        }
        for t in p.trips
    ]


def _places(p: Persona) -> list[Place]:
    return [p.home, p.work, p.gym, *p.errands, p.airport, *[t.hotel for t in p.trips]]


def generate(out_dir: Path, *, seed: int = 1, scale: int | None = None) -> GroundTruth:
    """Write the persona's export files under `out_dir` and return (and save) the ground truth."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    run = _Run(out, seed, scale)
    if scale is not None:
        run.factor = max(1.0, 0.08 * scale / 6750)
    messages = {
        "whatsapp": _whatsapp(run),
        "telegram": _telegram(run),
        "messenger": _meta(run, "messenger", MESSENGER_PEERS),
        "instagram": _meta(run, "instagram", INSTAGRAM_PEERS),
    }
    reddit, x = _reddit(run), _x(run)
    messages["reddit"] = reddit["messages.csv"]
    messages["x"] = x["data/direct-messages.js"]
    cards = _vcard(run)
    posts = reddit["posts.csv"] + reddit["comments.csv"] + x["data/tweets.js"]
    interactions = (
        sum(
            reddit[k]
            for k in (
                "post_votes.csv",
                "comment_votes.csv",
                "saved_posts.csv",
                "hidden_posts.csv",
                "subscribed_subreddits.csv",
            )
        )
        + x["data/like.js"]
        + x["data/follower.js"]
        + x["data/following.js"]
    )
    other = sum(messages.values()) + posts + interactions + cards + 2 * len(run.segments)
    loc = _locations(run, other)
    contacts = _contacts_with_keys(run)
    totals = {
        "locations": loc["records"],
        "locations_all_files": loc["records"]
        + loc["semantic_raw_path_points"]
        + loc["timeline_path_points"]
        + loc["timeline_raw_positions"],
        "locations_distinct": loc["records"]
        + loc["timeline_path_points"]
        - loc["timeline_path_points_same_second"],
        "visits": loc["semantic_visits"],
        "trips": loc["semantic_trips"],
        "timeline_visits": loc["timeline_visits"],
        "timeline_trips": loc["timeline_trips"],
        "messages": sum(messages.values()),
        **{f"messages_{k}": v for k, v in messages.items()},
        "posts": posts,
        "interactions": interactions,
        "contacts": len(contacts),
        "vcards": cards,
    }
    totals["records"] = (
        totals["locations_all_files"]
        + totals["visits"]
        + totals["trips"]
        + totals["timeline_visits"]
        + totals["timeline_trips"]
        + totals["messages"]
        + posts
        + interactions
        + cards
    )
    p = run.p
    truth = GroundTruth(
        seed=seed,
        scale=scale,
        timezone=p.zone,
        period_start=p.start.isoformat(),
        period_end=(p.start + timedelta(days=p.days)).isoformat(),
        home=p.home,
        work=p.work,
        gym=p.gym,
        places=_places(p),
        trips=_trips(p),
        owner=_owner(run),
        contacts=contacts,
        same_person=_same_person(contacts),
        planted=run.planted,
        files=dict(sorted(run.files.items())),
        totals=totals,
        notes=NOTES,
    )
    truth.save(out / "ground_truth.json")
    return truth
