"""The ground truth written beside the generated exports: what a perfect importer would find."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Place:
    """A named place of the persona's life with its true position."""

    role: str  # home, work, gym, shop, cafe, friend, park, hotel, sight, airport, lunch
    name: str
    lat: float
    lon: float
    address: str
    city: str = "Berlin"


@dataclass(frozen=True)
class Contact:
    """Someone the persona knows, with the key each platform uses for them."""

    name: str
    phone: str  # E.164
    email: str
    keys: dict[str, str] = field(default_factory=dict)  # platform -> key as the export writes it


@dataclass(frozen=True)
class Planted:
    """An identifier planted in text, and how often it occurs in one file."""

    type: str  # phone, email, iban, card, url, ip, address, coordinates, name
    value: str
    where: str  # "<file>" or "<zip>/<member>", relative to the output folder
    count: int


@dataclass
class GroundTruth:
    """Everything the generator knows about the persona it wrote."""

    seed: int
    scale: int | None
    timezone: str
    period_start: str  # local date, ISO
    period_end: str  # local date, exclusive
    home: Place
    work: Place
    gym: Place
    places: list[Place]
    trips: list[dict[str, Any]]
    owner: dict[str, Any]
    contacts: list[Contact]
    same_person: list[dict[str, Any]]
    planted: list[Planted]
    files: dict[str, dict[str, int]]  # relative path -> counts by element
    totals: dict[str, int]  # record kind -> count over all files
    notes: dict[str, str] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        """Write the truth as sorted, indented JSON."""
        text = json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> GroundTruth:
        """Read a truth written by `save`."""
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        raw["home"] = Place(**raw["home"])
        raw["work"] = Place(**raw["work"])
        raw["gym"] = Place(**raw["gym"])
        raw["places"] = [Place(**p) for p in raw["places"]]
        raw["contacts"] = [Contact(**c) for c in raw["contacts"]]
        raw["planted"] = [Planted(**p) for p in raw["planted"]]
        return cls(**raw)
