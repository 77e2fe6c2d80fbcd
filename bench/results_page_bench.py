"""Time the officials' results page query at scale: N companies × 5 items of decisions.

    .venv/bin/python bench/results_page_bench.py 20000      (20,000 × 5 = 100,000 decision rows)

Prints the median time of result_page() for a few filter/sort/page combinations, and the full
HTTP page through Flask's test client.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.many_decisions import seed_decisions  # noqa: E402
from engine.store.db import make_engine, make_sessionmaker
from engine.store.migrate import upgrade
from engine.store.results import ResultFilter, result_page

CASES = [
    ("no filter, page 1", ResultFilter(), 1),
    ("no filter, page 1000", ResultFilter(), 1000),
    ("status=eligible", ResultFilter(status="eligible"), 1),
    ("item+status", ResultFilter(item="futian.rd_input", status="eligible"), 1),
    ("item+status+district", ResultFilter(item="futian.rd_input", status="eligible",
                                          district="futian"), 1),
    ("district, sort amount, page 50", ResultFilter(district="pudong", sort="amount"), 50),
    ("sort company, page 500", ResultFilter(sort="company"), 500),
]


def median_ms(work, repeat: int = 7) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(companies: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        db = make_engine(url)
        upgrade(db)
        sessions = make_sessionmaker(db)
        start = time.perf_counter()
        with sessions() as session:
            run_id = seed_decisions(session, companies)
            session.commit()
        print(f"seeded {companies * 5:,} decisions in {time.perf_counter() - start:.1f}s")
        with sessions() as session:
            for name, f, page in CASES:
                ms = median_ms(lambda f=f, page=page: result_page(session, run_id, f, page))
                print(f"  {name:35s} {ms:7.1f} ms")
        _http(url, run_id)
        db.dispose()


def _http(url: str, run_id: int) -> None:
    from web import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": url, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    from engine.store.accounts import create_user

    with make_sessionmaker(make_engine(url))() as session:
        create_user(session, "bench", "bench-pass", "official")
        session.commit()
    client.post("/login", data={"username": "bench", "password": "bench-pass"})
    for query in ("", "?status=eligible&item=futian.rd_input&district=futian", "?sort=amount&page=200"):
        path = f"/official/runs/{run_id}/results{query}"
        ms = median_ms(lambda path=path: client.get(path))
        print(f"  HTTP {path:70s} {ms:7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
