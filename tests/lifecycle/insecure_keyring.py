"""A keyring backend named like keyrings.alt's PlaintextKeyring: it keeps secrets in a JSON file.

Written from keyring's backend API (KeyringBackend: get/set/delete_password) for the tests of
the insecure-backend refusal; selected with PYTHON_KEYRING_BACKEND, its file named by
COFFER_TEST_PLAINTEXT_KEYRING.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class PlaintextKeyring(KeyringBackend):
    priority = 0.5

    def _file(self) -> Path:
        return Path(os.environ["COFFER_TEST_PLAINTEXT_KEYRING"])

    def _load(self) -> dict[str, str]:
        path = self._file()
        return json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._load()
        entries[f"{service}/{username}"] = password
        self._file().write_text(json.dumps(entries))

    def delete_password(self, service: str, username: str) -> None:
        entries = self._load()
        if entries.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        self._file().write_text(json.dumps(entries))
