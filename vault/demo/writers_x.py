"""The X (Twitter) archive's `data/*.js` files."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from vault.demo.persona import Persona, phone_formats
from vault.demo.writers_reddit import _sentence


def _js(global_name: str, items: list[dict[str, Any]]) -> str:
    """An X archive data file: `window.YTD.<name>.part0 = [ ... ]` with Jackson spacing."""
    from vault.demo.jsonfmt import jackson

    return f"window.YTD.{global_name}.part0 = {jackson(items)}"


def _x_date(ts_ms: int) -> str:
    return datetime.fromtimestamp(ts_ms // 1000, UTC).strftime("%a %b %d %H:%M:%S +0000 %Y")


def _iso(ts_ms: int) -> str:
    return datetime.fromtimestamp(ts_ms // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _tweet(tid: int, ts: int, text: str, reply_to: tuple[int, str, str] | None) -> dict[str, Any]:
    """One tweet object in the archive's key order."""
    t: dict[str, Any] = {
        "edit_info": {
            "initial": {
                "editTweetIds": [str(tid)],
                "editableUntil": _iso(ts + 3_600_000),
                "editsRemaining": "5",
                "isEditEligible": True,
            }
        },
        "retweeted": False,
        "source": '<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>',
        "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []},
        "display_text_range": ["0", str(len(text))],
        "favorite_count": str(tid % 7),
        "id_str": str(tid),
        "truncated": False,
        "retweet_count": str(tid % 3),
        "id": str(tid),
        "created_at": _x_date(ts),
        "favorited": False,
        "full_text": text,
        "lang": "en",
    }
    if reply_to:
        status, user_id, screen = reply_to
        t["in_reply_to_status_id_str"] = t["in_reply_to_status_id"] = str(status)
        t["in_reply_to_user_id"] = t["in_reply_to_user_id_str"] = user_id
        t["in_reply_to_screen_name"] = screen
        t["entities"]["user_mentions"] = [
            {
                "name": screen,
                "screen_name": screen,
                "indices": ["0", str(len(screen) + 1)],
                "id_str": user_id,
                "id": user_id,
            }
        ]
        t["full_text"] = f"@{screen} {text}"
        t["display_text_range"] = ["0", str(len(t["full_text"]))]
    return t


def x_files(
    p: Persona,
    times: list[int],
    plants: list[tuple[str, str]],
    peers: list[tuple[str, str]],
    dm_chats: list[list[tuple[int, bool, str]]],
) -> tuple[dict[str, str], dict[str, int]]:
    """The X archive's data files and their counts; peers are (account id, screen name)."""
    from vault.demo.chats import PLANT_TEMPLATES

    rng = random.Random(f"{p.seed}:x")
    account_id = str(1_000_000_000 + p.seed % 1_000_000)
    tweets, likes = [], []
    for i, ts in enumerate(times):
        tid = 1_600_000_000_000_000_000 + i * 7_919_000_123
        if i % 3 == 2:
            likes.append(
                {
                    "like": {
                        "tweetId": str(tid + 17),
                        "fullText": _sentence(rng, 10),
                        "expandedUrl": f"https://twitter.com/i/web/status/{tid + 17}",
                    }
                }
            )
            continue
        reply = (tid - 99_000, *peers[i % len(peers)]) if i % 5 == 1 else None
        tweets.append({"tweet": _tweet(tid, ts, _sentence(rng, 8), reply)})
    for k, (kind, value) in enumerate(plants):
        t = tweets[(k * 5 + 2) % len(tweets)]["tweet"]
        t["full_text"] = PLANT_TEMPLATES[kind].format(value=value)
        t["display_text_range"] = ["0", str(len(t["full_text"]))]
    tweets.reverse()
    dms = []
    for k, chat in enumerate(dm_chats):
        peer_id = peers[k][0]
        convo = "-".join(sorted([account_id, peer_id]))
        msgs = [
            {
                "messageCreate": {
                    "recipientId": peer_id if mine else account_id,
                    "reactions": [],
                    "urls": [],
                    "text": text,
                    "mediaUrls": [],
                    "senderId": account_id if mine else peer_id,
                    "id": str(1_700_000_000_000_000_000 + k * 1000 + j),
                    "createdAt": _iso(ts),
                }
            }
            for j, (ts, mine, text) in enumerate(chat)
        ]
        msgs.reverse()
        dms.append({"dmConversation": {"conversationId": convo, "messages": msgs}})
    fmts = phone_formats(p.phone)
    files = {
        "data/tweets.js": _js("tweets", tweets),
        "data/like.js": _js("like", likes),
        "data/follower.js": _js(
            "follower",
            [
                {"follower": {"accountId": a, "userLink": f"https://twitter.com/intent/user?user_id={a}"}}
                for a, _ in peers
            ],
        ),
        "data/following.js": _js(
            "following",
            [
                {"following": {"accountId": a, "userLink": f"https://twitter.com/intent/user?user_id={a}"}}
                for a, _ in peers[:3]
            ],
        ),
        "data/account.js": _js(
            "account",
            [
                {
                    "account": {
                        "email": p.email,
                        "createdVia": "android",
                        "username": p.handles["x"],
                        "accountId": account_id,
                        "createdAt": "2014-06-03T17:41:12.000Z",
                        "accountDisplayName": p.name,
                    }
                }
            ],
        ),
        "data/direct-messages.js": _js("direct_messages", dms),
        "data/ip-audit.js": _js(
            "ip_audit",
            [
                {
                    "ipAudit": {
                        "accountId": account_id,
                        "createdAt": _iso(ts),
                        "loginIp": f"87.123.{60 + k}.{20 + k}",
                    }
                }
                for k, ts in enumerate(times[-5:])
            ],
        ),
        "data/phone-number.js": _js("phone_number", [{"device": {"phoneNumber": fmts["e164"]}}]),
        "data/personalization.js": _js(
            "personalization",
            [
                {
                    "p13nData": {
                        "demographics": {
                            "languages": [
                                {"language": "English", "isDisabled": False},
                                {"language": "German", "isDisabled": False},
                            ],
                            "genderInfo": {"gender": p.gender},
                        },
                        "interests": {
                            "interests": [
                                {"name": n, "isDisabled": False}
                                for n in ["Bouldering", "Cycling", "Python", "Travel", "Berlin"]
                            ],
                            "partnerInterests": [],
                            "audienceAndAdvertisers": {
                                "lookalikeAdvertisers": [],
                                "advertisers": [],
                                "doNotReachAdvertisers": [],
                                "catalogAudienceAdvertisers": [],
                                "numAudiences": "0",
                            },
                            "shows": [],
                        },
                        "locationHistory": ["Berlin, Germany"],
                        "inferredAgeInfo": {"age": ["25-34"], "birthDate": ""},
                    }
                }
            ],
        ),
    }
    counts = {
        "data/tweets.js": len(tweets),
        "data/like.js": len(likes),
        "data/follower.js": len(peers),
        "data/following.js": 3,
        "data/account.js": 1,
        "data/direct-messages.js": sum(len(c) for c in dm_chats),
        "data/ip-audit.js": 5,
        "data/phone-number.js": 1,
        "data/personalization.js": 5,
    }
    files["data/manifest.js"] = _manifest(p, account_id, counts)
    return files, counts


def _manifest(p: Persona, account_id: str, counts: dict[str, int]) -> str:
    """`window.__THAR_CONFIG`: what the archive holds."""
    from vault.demo.jsonfmt import jackson

    types = {}
    for name, n in counts.items():
        base = name.removeprefix("data/").removesuffix(".js")
        key = "".join(w.capitalize() if i else w for i, w in enumerate(base.split("-")))
        types[key] = {
            "files": [
                {"fileName": name, "globalName": f"YTD.{base.replace('-', '_')}.part0", "count": str(n)}
            ]
        }
    doc = {
        "userInfo": {"accountId": account_id, "userName": p.handles["x"], "displayName": p.name},
        "archiveInfo": {
            "sizeBytes": "734211",
            "generationDate": "2024-02-02T09:30:00.000Z",
            "isPartialArchive": False,
            "maxPartSizeBytes": "53687091200",
        },
        "readmeInfo": {"fileName": "data/README.txt", "directory": "data/", "name": "README.txt"},
        "dataTypes": dict(sorted(types.items())),
    }
    return "window.__THAR_CONFIG = " + jackson(doc)
