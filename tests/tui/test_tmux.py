"""End to end: the real `coffer` in tmux, unlocked by typing, a query run, then ctrl+q."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.tui.conftest import DEMO_PASSPHRASE

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def wait_for(session: str, text: str, timeout_s: float = 20) -> str:
    deadline = time.monotonic() + timeout_s
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} did not appear; the screen was:\n{screen}")


def test_coffer_in_tmux(vault_copy: Path, tmp_path: Path) -> None:
    session = f"coffer-{uuid.uuid4().hex[:8]}"
    status_file = tmp_path / "exit-status"
    command = f"{sys.executable} -m vault --vault {vault_copy}; echo $? > {status_file}; sleep 30"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    try:
        wait_for(session, "Passphrase")
        tmux("send-keys", "-t", session, "-l", DEMO_PASSPHRASE)
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "Records per month")
        tmux("send-keys", "-t", session, "g")
        wait_for(session, "Go to…")
        tmux("send-keys", "-t", session, "q")
        wait_for(session, "History")
        tmux("send-keys", "-t", session, "C-n")  # an empty editor instead of the example query
        tmux("send-keys", "-t", session, "-l", "SELECT 6 * 7 AS answer")
        wait_for(session, "SELECT 6 * 7 AS")
        tmux("send-keys", "-t", session, "C-r")
        wait_for(session, "Done in")
        screen = wait_for(session, "answer")  # the table is painted a frame after the message
        assert "42" in screen and "answer" in screen
        tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + 15
        while not status_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert status_file.read_text().strip() == "0"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
