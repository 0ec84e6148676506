"""What every operator may know besides its column: keys, seeds and the vault's own facts."""

from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from vault.errors import CofferError

if TYPE_CHECKING:
    from vault.anonymize.identifiers import IdentifierFinder

DEFAULT_PHONE_REGIONS: tuple[str, ...] = ("US", "GB", "DE", "FR", "IT", "ES", "NL", "CH", "AT")


class AnonymizeError(CofferError):
    """A policy cannot be applied to this vault (for example a place role the vault does not know)."""


@dataclass(frozen=True)
class OperatorContext:
    """Keys, seed and vault facts shared by all operators of one export."""

    pseudonym_key: bytes
    seed: bytes
    known_names: tuple[str, ...] = ()
    owner_person_ids: frozenset[int] = frozenset()
    places: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    timezone: str = "UTC"
    phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS

    @cached_property
    def finder(self) -> IdentifierFinder:
        """The identifier detector for this vault's names, compiled once per export."""
        from vault.anonymize.identifiers import IdentifierFinder

        return IdentifierFinder(self.known_names, regions=self.phone_regions)

    def rng(self, purpose: str) -> random.Random:
        """A generator seeded by the export's seed (vault key, recipient, policy) and a purpose."""
        return random.Random(_seed_int(self.seed, purpose))

    def recipient_rng(self, purpose: str) -> random.Random:
        """A generator that depends on the vault key and recipient only, the same for all policies."""
        return random.Random(_seed_int(self.pseudonym_key, "draw\x00" + purpose))

    def np_rng(self, purpose: str) -> np.random.Generator:
        """A numpy generator seeded like `rng`."""
        return np.random.default_rng(_seed_int(self.seed, purpose))


def _seed_int(key: bytes, purpose: str) -> int:
    """A 256-bit integer seed from a key and a domain-separating purpose."""
    digest = hmac.new(key, b"rng\x00" + purpose.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest, "big")
