"""Reads a SQLCipher 4 vault's pages decrypted, in memory, to look for bytes that should be gone.

SQLCipher 4 defaults (https://www.zetetic.net/sqlcipher/design/): 4096-byte pages, each encrypted
with AES-256-CBC under the raw key, a 16-byte IV and a 64-byte HMAC-SHA512 in an 80-byte reserve at
the end of the page; page 1 starts with the 16-byte salt in place of the SQLite header string.
Free pages and unused space are decrypted too, which is where deleted text would linger.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE_SIZE = 4096
RESERVE = 80
IV_BYTES = 16
SALT_BYTES = 16


def decrypted_pages(path: Path, data_key: bytes) -> Iterator[bytes]:
    raw = path.read_bytes()
    for start in range(0, len(raw) - PAGE_SIZE + 1, PAGE_SIZE):
        page = raw[start : start + PAGE_SIZE]
        offset = SALT_BYTES if start == 0 else 0
        iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - RESERVE + IV_BYTES]
        decryptor = Cipher(algorithms.AES(data_key), modes.CBC(iv)).decryptor()
        yield decryptor.update(page[offset : PAGE_SIZE - RESERVE]) + decryptor.finalize()


def pages_containing(path: Path, data_key: bytes, needle: bytes) -> int:
    return sum(needle in page for page in decrypted_pages(path, data_key))
