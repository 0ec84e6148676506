"""`python -m benchmarks.run [--quick] [--only NAME] [--json OUT] [--repeats N]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.harness import run_all


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; exit 1 when a goal fails."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this scenario")
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results/latest.json"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    results = run_all(args.only, args.quick, args.repeats, args.json)
    return 0 if all(g["pass"] for r in results for g in r.goals) else 1


if __name__ == "__main__":
    raise SystemExit(main())
