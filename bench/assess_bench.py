"""Benchmark: the durable_rules engine against a plain-Python reference on the real catalog.

Reports, for each N: profiles/s for decisions only and for full explanations (engine and
reference), the tests/reference ratio, the share of the engine's decision time spent inside
durable_rules' own calls (assert, reading the fired actions, retract), the median time of one
profile over the whole catalog, and peak memory growth. Run: `make bench` or
`.venv/bin/python bench/assess_bench.py --sizes 1000`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.profiles import profiles  # noqa: E402
from engine.decide.engine import Engine
from engine.explain.decision_json import assessment_to_dict
from tests.reference import reference_assess

DAY = dt.date(2020, 6, 1)


def _rate(count: int, work: Callable[[object], object], seed: int) -> tuple[float, float, float]:
    """(profiles per second, process peak RSS in MiB, seconds of work) over `count` streamed
    profiles.

    Only the work is timed: generating and validating the profiles is not.
    """
    elapsed = 0.0
    for profile in profiles(count, seed):
        start = time.perf_counter()
        work(profile)
        elapsed += time.perf_counter() - start
    return count / elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    args = parser.parse_args()
    engine = Engine()
    compiled = engine.compiled
    print(f"rules version {engine.rules_version}: {len(compiled.tests)} tests, "
          f"{len(compiled.rulesets)} rulesets, {len(compiled.items)} item versions; as of {DAY}")

    single = []
    for profile in profiles(300, seed=99):
        start = time.perf_counter()
        engine.assess(profile, DAY)
        single.append(time.perf_counter() - start)
    print(f"one profile over the whole catalog, with explanations: median "
          f"{statistics.median(single) * 1000:.2f} ms, p95 "
          f"{sorted(single)[int(len(single) * 0.95)] * 1000:.2f} ms")

    cases = {
        "engine decisions": lambda p: engine.assess(p, DAY, explain=False),
        "reference decisions": lambda p: reference_assess(compiled, p, DAY, explain=False),
        "engine explanations": lambda p: assessment_to_dict(engine.assess(p, DAY)),
        "reference explanations": lambda p: reference_assess(compiled, p, DAY, explain=True),
    }
    for size in args.sizes:
        print(f"\nN = {size:,}")
        rates = {}
        durable = 0.0
        for name, work in cases.items():
            timed = name == "engine decisions"  # durable_rules' share, in the same pass
            engine.runtime.timed, engine.runtime.durable_seconds = timed, 0.0
            rate, peak, elapsed = _rate(size, work, seed=size)
            engine.runtime.timed = False
            if timed:
                durable = engine.runtime.durable_seconds / elapsed
            rates[name] = rate
            print(f"  {name:<24} {rate:>9,.0f} profiles/s   process peak RSS {peak:6.1f} MiB")
        for kind in ("decisions", "explanations"):
            ratio = rates[f"engine {kind}"] / rates[f"reference {kind}"]
            print(f"  tests/reference {kind}: {ratio:.2f}x")
        print(f"  inside durable_rules' calls: {durable:.0%} of the engine's decision time")


if __name__ == "__main__":
    main()
