"""Time unlocking a vault with the default key parameters: the Argon2id KDF, opening the store, both.

`run(folder)` creates a throwaway vault in `folder` and returns the median of `repeats` runs of each
step in milliseconds (issue 2 asks the benchmarks to report unlock time):

    python -m benchmarks.bench_unlock [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness import Figures, Goal, scenario
from vault import keys, session
from vault.store import Store

PASSPHRASE = "benchmark passphrase"


def _median_ms(step: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def run(folder: Path, repeats: int = 5) -> dict[str, object]:
    """Median milliseconds for the KDF, the store's open, and a whole unlock, at default parameters."""
    path = folder / "bench.db"
    vault, _recovery = session.create(path, PASSPHRASE)
    vault.close()
    header = keys.load_header(keys.header_path(path))
    data_key = keys.unwrap(header, "passphrase", PASSPHRASE)

    def open_store() -> None:
        Store.open(path, data_key, expected_salt=header.db_salt).close()

    def unlock() -> None:
        session.unlock(path, session.Credentials(passphrase=PASSPHRASE)).close()

    kdf = keys.DEFAULT_KDF
    return {
        "kdf": f"argon2id t={kdf.time_cost} m={kdf.memory_kib // 1024} MiB p={kdf.parallelism}",
        "kdf_ms": _median_ms(lambda: keys.unwrap(header, "passphrase", PASSPHRASE), repeats),
        "store_open_ms": _median_ms(open_store, repeats),
        "unlock_ms": _median_ms(unlock, repeats),
        "repeats": repeats,
    }


@scenario("unlock.default_kdf", group="vault", goals=(Goal("unlock_ms", 1000),))
def unlock_scenario(quick: bool) -> Figures:
    """Key derivation, opening the store, and a whole unlock at the default Argon2id parameters."""
    with tempfile.TemporaryDirectory() as folder:
        figures = run(Path(folder), repeats=3 if quick else 5)
    return {key: float(value) for key, value in figures.items() if isinstance(value, int | float)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(run(Path(folder), args.repeats), indent=2))


if __name__ == "__main__":
    main()
