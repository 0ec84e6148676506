"""Errors a user can cause, each with the exit code of CONTRACTS.md."""

from __future__ import annotations


class CofferError(Exception):
    """An error reported as one `coffer: error:` line; `exit_code` is the process's exit status."""

    exit_code = 1


class UsageError(CofferError):
    """A bad argument or option."""

    exit_code = 2


class CannotUnlock(CofferError):
    """No secret opens the vault."""

    exit_code = 3


class WrongPassphrase(CannotUnlock):
    """The passphrase, recovery key or device secret does not open any key slot."""


class NoPassphrase(CannotUnlock):
    """No passphrase source is available (no terminal to prompt on)."""


class VaultDamaged(CofferError):
    """The database or its key header is damaged, tampered with, missing or from another vault."""

    exit_code = 4


class VaultBusy(CofferError):
    """Another process holds the write lock past the timeout."""

    exit_code = 5


class VaultNotFound(CofferError):
    """No vault at the given path."""


class VaultExists(CofferError):
    """`init` would overwrite an existing vault."""
