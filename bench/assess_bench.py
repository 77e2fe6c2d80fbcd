"""Benchmark: the durable_rules engine against a plain-Python reference on the real catalog.

Reports, for each N: profiles/s for decisions only and for full explanations (engine and
reference, in CPU time with the cases interleaved, so machine load weighs on all alike), the
tests/reference ratio (explanations both as the JSON form, `assessment_to_dict`, and as the
engine's own objects, which every output renders), the share of the engine's decision time
spent inside durable_rules' own calls (assert, reading the fired actions, retract), the median
time of one profile over the whole catalog, and peak memory. Run: `make bench` or
`.venv/bin/python bench/assess_bench.py --sizes 1000`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
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


CHUNK = 100  # profiles per turn: each case takes its turn on the same chunk, in rotating order


def _interleaved(size: int, cases: dict[str, Callable[[object], object]],
                 seed: int) -> tuple[dict[str, float], float]:
    """Seconds of CPU each case spent on the same `size` streamed profiles, and the process's
    peak RSS in MiB.

    The cases take turns chunk by chunk, in an order that rotates, and each is timed in this
    thread's CPU time: on a shared machine a burst of load then weighs on every case alike
    instead of on whichever ran during it, so the ratios compare like with like. Generating and
    validating the profiles is not timed.
    """
    spent = dict.fromkeys(cases, 0.0)
    names = list(cases)
    chunk: list[object] = []
    turn = 0

    def run_chunk() -> None:
        nonlocal turn
        order = names[turn % len(names):] + names[:turn % len(names)]
        turn += 1
        for name in order:
            work = cases[name]
            start = time.thread_time()
            for profile in chunk:
                work(profile)
            spent[name] += time.thread_time() - start

    for profile in profiles(size, seed):
        chunk.append(profile)
        if len(chunk) == CHUNK:
            run_chunk()
            chunk.clear()
    if chunk:
        run_chunk()
    return spent, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ratio_cases() -> dict[str, Callable[[object], object]]:
    """The engine and the reference, deciding and explaining. Each engine case has an Engine of
    its own, fresh: the engine memoises what repeats between profiles (amounts on the facts they
    read, decisions without a trace), and one case must not find there what the other case left
    from the same chunk of profiles."""
    deciding, explaining, tracing = Engine(), Engine(), Engine()
    compiled = deciding.compiled
    return {
        "engine decisions": lambda p: deciding.assess(p, DAY, explain=False),
        "reference decisions": lambda p: reference_assess(compiled, p, DAY, explain=False),
        "engine explanations": lambda p: assessment_to_dict(explaining.assess(p, DAY)),
        "engine explanation objects": lambda p: tracing.assess(p, DAY),
        "reference explanations": lambda p: reference_assess(compiled, p, DAY, explain=True),
    }


def settled(cases: dict[str, Callable[[object], object]]) -> dict[str, Callable[[object], object]]:
    """The cases, once the long-lived objects (modules, compiled engines) are moved out of the
    garbage collector's sight, as every screening worker does (engine.store.worker.settle_heap):
    the engine and the reference then both run as they do in a worker."""
    gc.collect()
    gc.freeze()
    return cases


def _durable_share(engine: Engine, size: int, seed: int) -> float:
    """The share of the engine's decision time spent inside durable_rules' own calls (assert,
    reading the fired actions, retract), in a pass of its own so that timing those calls does
    not slow the pass the ratios come from."""
    engine.runtime.timed, engine.runtime.durable_seconds = True, 0.0
    try:
        elapsed = 0.0
        for profile in profiles(size, seed):
            start = time.perf_counter()
            engine.assess(profile, DAY, explain=False)
            elapsed += time.perf_counter() - start
        return engine.runtime.durable_seconds / elapsed
    finally:
        engine.runtime.timed = False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    args = parser.parse_args()
    engine = Engine()
    compiled = engine.compiled
    print(f"rules version {engine.rules_version}: {len(compiled.tests)} tests, "
          f"{len(compiled.rulesets)} rulesets, {len(compiled.items)} item versions; as of {DAY}; "
          f"load average {os.getloadavg()[0]:.1f}")

    single = []
    for profile in profiles(300, seed=99):
        start = time.perf_counter()
        engine.assess(profile, DAY)
        single.append(time.perf_counter() - start)
    print(f"one profile over the whole catalog, with explanations: median "
          f"{statistics.median(single) * 1000:.2f} ms, p95 "
          f"{sorted(single)[int(len(single) * 0.95)] * 1000:.2f} ms")

    for size in args.sizes:
        print(f"\nN = {size:,} (CPU time, cases interleaved by {CHUNK} profiles)")
        spent, peak = _interleaved(size, settled(ratio_cases()), seed=size)
        for name, seconds in spent.items():
            print(f"  {name:<24} {size / seconds:>9,.0f} profiles/s  "
                  f"{seconds / size * 1e6:7.1f} µs/profile")
        for kind in ("decisions", "explanations"):
            ratio = spent[f"reference {kind}"] / spent[f"engine {kind}"]
            print(f"  tests/reference {kind}: {ratio:.2f}x")
        objects = spent["reference explanations"] / spent["engine explanation objects"]
        print(f"  tests/reference explanations as the engine's objects (the Assessment every "
              f"output renders, before its JSON form): {objects:.2f}x")
        share = _durable_share(Engine(), min(size, 20_000), seed=size)
        print(f"  inside durable_rules' calls: {share:.0%} of the engine's decision time "
              f"(first {min(size, 20_000):,} profiles); process peak RSS {peak:.1f} MiB")


if __name__ == "__main__":
    main()
