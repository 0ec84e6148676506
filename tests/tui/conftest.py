"""Fixtures for the TUI tests: one seeded demo vault per session, copied for tests that write."""

from __future__ import annotations

import asyncio
import inspect
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tui.app import CofferApp
from vault import session

DEMO_PASSPHRASE = "coffer demo passphrase"
FIXED_CLOCK = 1000.0


@pytest.fixture(scope="session")
def demo_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded demo vault (seed 1), built once with the real `coffer demo`."""
    folder = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "COFFER_PASSPHRASE": DEMO_PASSPHRASE}
    subprocess.run(
        [sys.executable, "-m", "vault", "demo", "--dir", str(folder), "--no-tui", "--seed", "1"],
        check=True,
        env=env,
        capture_output=True,
    )
    return folder / "demo.db"


@pytest.fixture
def vault_copy(demo_vault: Path, tmp_path: Path) -> Path:
    """A private copy of the demo vault for a test that writes to it."""
    for companion in demo_vault.parent.glob(demo_vault.name + "*"):
        if companion.is_file():
            shutil.copy2(companion, tmp_path / companion.name)
    return tmp_path / demo_vault.name


@pytest.fixture
def make_app() -> Callable[..., CofferApp]:
    def build(path: Path, **kwargs: Any) -> CofferApp:
        kwargs.setdefault("clock", lambda: FIXED_CLOCK)
        return CofferApp(path, session.Credentials(), **kwargs)

    return build


async def settle(pilot: Any, rounds: int = 400) -> None:
    """Wait until the app's own workers are done (the directory tree's loader never is)."""
    for _ in range(rounds):
        await pilot.pause(0.05)
        if not [w for w in pilot.app.workers if w.is_running and w.name != "_loader"]:
            break
    await pilot.pause(0.05)


async def wait_for(pilot: Any, ready: Callable[[], bool], seconds: float = 60.0) -> None:
    """Poll until `ready()` holds or the time is up (the assertion after it says what went wrong)."""
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        if ready():
            return


async def unlock(pilot: Any, passphrase: str = DEMO_PASSPHRASE) -> None:
    await pilot.press(*passphrase)
    await pilot.press("enter")
    for _ in range(200):
        await pilot.pause(0.05)
        if pilot.app.vault is not None:
            break
    await settle(pilot)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests on a fresh event loop (no asyncio plugin is installed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True
