"""Reads a SQLCipher 4 vault's pages decrypted, in memory, to look for bytes that should be gone.

SQLCipher 4's page layout (https://www.zetetic.net/sqlcipher/design/): pages of the size the key
header records (16 KiB for new vaults, 4096 bytes before), each encrypted with AES-256-CBC under
the raw key, a 16-byte IV and a 64-byte HMAC-SHA512 in an 80-byte reserve at
the end of the page; page 1 starts with the 16-byte salt in place of the SQLite header string.
Free pages and unused space are decrypted too, which is where deleted text would linger.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from vault import keys

RESERVE = 80
IV_BYTES = 16
SALT_BYTES = 16


def decrypted_pages(path: Path, data_key: bytes) -> Iterator[bytes]:
    size = keys.load_header(keys.header_path(path)).db_page_size
    raw = path.read_bytes()
    for start in range(0, len(raw) - size + 1, size):
        page = raw[start : start + size]
        offset = SALT_BYTES if start == 0 else 0
        iv = page[size - RESERVE : size - RESERVE + IV_BYTES]
        decryptor = Cipher(algorithms.AES(data_key), modes.CBC(iv)).decryptor()
        yield decryptor.update(page[offset : size - RESERVE]) + decryptor.finalize()


def pages_containing(path: Path, data_key: bytes, needle: bytes) -> int:
    return sum(needle in page for page in decrypted_pages(path, data_key))
