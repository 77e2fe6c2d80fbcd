"""Wall time for N profiles with full explanations, spread over worker processes.

Each process builds its own Engine (durable_rules state is per process) and assesses its share of
generated profiles, turning every assessment into the stored JSON form. Profile generation and
validation are included in the wall time. Run: `.venv/bin/python bench/parallel_bench.py 100000`.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.profiles import profiles  # noqa: E402

DAY = dt.date(2020, 6, 1)


def _share(args: tuple[int, int]) -> int:
    count, seed = args
    from engine.decide.engine import Engine
    from engine.explain.decision_json import assessment_to_dict

    engine = Engine()
    done = 0
    for profile in profiles(count, seed):
        assessment_to_dict(engine.assess(profile, DAY))
        done += 1
    return done


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    shares = [(total // workers + (1 if i < total % workers else 0), 1000 + i) for i in range(workers)]
    start = time.perf_counter()
    with mp.get_context("spawn").Pool(workers) as pool:
        done = sum(pool.map(_share, shares))
    elapsed = time.perf_counter() - start
    print(f"{done:,} profiles with explanations in {elapsed:.1f} s over {workers} processes "
          f"({done / elapsed:,.0f} profiles/s)")


if __name__ == "__main__":
    main()
