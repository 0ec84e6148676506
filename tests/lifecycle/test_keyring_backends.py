"""Keyring backends Coffer refuses or lacks: plaintext ones need insisting, none at all is a hint."""

from __future__ import annotations

import json

from tests.conftest import assert_one_error_line
from tests.lifecycle.helpers import LifeCoffer, header_of

NO_BACKEND = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def _plaintext(coffer: LifeCoffer) -> dict[str, str]:
    return {
        "PYTHON_KEYRING_BACKEND": "tests.lifecycle.insecure_keyring.PlaintextKeyring",
        "COFFER_TEST_PLAINTEXT_KEYRING": str(coffer.cwd / "plaintext-keyring.json"),
    }


def test_no_keyring_is_a_hint_not_a_crash(vault_made: LifeCoffer) -> None:
    before = header_of(vault_made.vault)
    result = vault_made("keyring", "remember", env=NO_BACKEND)
    assert_one_error_line(result, 1)
    assert "no OS keyring" in result.err and "passphrase" in result.err
    assert header_of(vault_made.vault) == before
    vault_made.ok("status", env=NO_BACKEND)
    assert_one_error_line(vault_made("status", passphrase=False, env=NO_BACKEND), 3)


def test_a_plaintext_backend_is_refused_unless_insisted_on(vault_made: LifeCoffer) -> None:
    env = _plaintext(vault_made)
    result = vault_made("keyring", "remember", env=env)
    assert_one_error_line(result, 1)
    assert "--allow-insecure-keyring" in result.err
    assert not (vault_made.cwd / "plaintext-keyring.json").exists()
    assert not header_of(vault_made.vault).slots_of("keyring")

    vault_made.ok("keyring", "remember", "--allow-insecure-keyring", env=env)
    assert len(header_of(vault_made.vault).slots_of("keyring")) == 1
    vault_made.ok("status", passphrase=False, env=env)
    vault_made.ok("keyring", "forget", env=env)
    assert json.loads((vault_made.cwd / "plaintext-keyring.json").read_text()) == {}
    assert_one_error_line(vault_made("status", passphrase=False, env=env), 3)


def test_forget_on_a_machine_never_remembered_says_so(vault_made: LifeCoffer) -> None:
    result = vault_made.ok("keyring", "forget", env=NO_BACKEND)
    assert "not remembered" in result.err
