"""Synthetic persona generator: real-format export files with known ground truth (`coffer demo`)."""

from __future__ import annotations

from pathlib import Path

from vault.demo.build import generate
from vault.demo.population import PersonTrack, population
from vault.demo.truth import Contact, GroundTruth, Place, Planted
from vault.demo.writers_whatsapp import write_whatsapp_chat

__all__ = [
    "Contact",
    "GroundTruth",
    "PersonTrack",
    "Place",
    "Planted",
    "generate",
    "population",
    "write_records_json",
    "write_whatsapp_chat",
]


def write_records_json(path: Path, n_points: int, seed: int) -> int:
    """Write a Takeout Records.json of exactly `n_points` fixes (streamed); returns bytes written."""
    from vault.demo.location import allocate, iter_fixes
    from vault.demo.persona import build_persona
    from vault.demo.routine import plan
    from vault.demo.writers_google import records_json

    persona = build_persona(seed)
    segments = list(plan(persona))
    counts = allocate(segments, n_points)
    size = 0
    with Path(path).open("w", encoding="utf-8") as out:
        for chunk in records_json(iter_fixes(seed, segments, counts)):
            size += out.write(chunk)
    return size
