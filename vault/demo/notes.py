"""What the ground truth's numbers mean, written into it for the importers' authors."""

from __future__ import annotations

NOTES = {
    "times": "WhatsApp and Telegram `date` are local times in `timezone` (the phone's zone), also abroad.",
    "locations": "`locations` = Records.json fixes. Semantic simplifiedRawPath points and Timeline "
    "rawSignals repeat Records fixes to the second (duplicates); Timeline timelinePath "
    "points are the same fixes rounded down to the minute, so only those at second 0 "
    "are duplicates: `locations_distinct` counts the union.",
    "visits": "Semantic Location History and Timeline.json describe the same stays where they overlap "
    "(the last 90 days); `visits`/`trips` count the Semantic files only.",
    "planted": "`count` is the number of messages, posts or rows of that file whose text holds "
    "`value` (Meta JSON after undoing mojibake; zip members decompressed). Telegram "
    "repeats each text in `text_entities`, so the raw file holds it twice as often.",
    "whatsapp": "Message counts include system lines (end-to-end notice, group creation, additions).",
    "telegram": "Service messages are phone calls (`action: phone_call`).",
}
