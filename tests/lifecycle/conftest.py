"""Fixtures for the lifecycle tests: a vault made through the CLI that has these commands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lifecycle.helpers import LifeCoffer, make_life


@pytest.fixture
def life(tmp_path: Path) -> LifeCoffer:
    return make_life(tmp_path)


@pytest.fixture
def vault_made(life: LifeCoffer) -> Iterator[LifeCoffer]:
    life.ok("init")
    yield life
