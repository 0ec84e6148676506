"""Process hygiene: private files by default, no core dumps that could hold keys."""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource

PR_SET_DUMPABLE = 4


def harden_process() -> None:
    """umask 077, core dumps off, and the process marked non-dumpable (no ptrace by peers)."""
    os.umask(0o077)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
