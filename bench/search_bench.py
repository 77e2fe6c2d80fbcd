"""Company search over N stored companies: a name part and a credit-code prefix, the time per
search and, on PostgreSQL, whether the plan uses the 0005 indexes.

    .venv/bin/python bench/search_bench.py 100000            # SQLite in a temporary folder
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/search_bench.py 100000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402

from engine.store import make_engine, make_sessionmaker, search_companies, upgrade  # noqa: E402
from engine.store.models import Company  # noqa: E402
from tests.synthetic import synthetic_profile  # noqa: E402

QUERIES = ("企业04242", "有限公司", "9144030004", "914403000000000", synthetic_profile(4242)["credit_code"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/search.db"
    db = make_engine(url)
    upgrade(db)
    sessions = make_sessionmaker(db)
    with sessions() as session:
        session.execute(text("DELETE FROM companies"))
        for start in range(0, args.n, 5000):
            session.execute(insert(Company), [
                {"credit_code": p["credit_code"], "name": p["name"], "district": "futian"}
                for p in (synthetic_profile(i) for i in range(start, min(args.n, start + 5000)))])
        session.commit()
        if db.dialect.name == "postgresql":
            session.execute(text("ANALYZE companies"))
    for query in QUERIES:
        with sessions() as session:
            search_companies(session, query)  # warm
            began = time.perf_counter()
            for _ in range(10):
                page = search_companies(session, query)
            ms = (time.perf_counter() - began) * 100
            print(f"{db.dialect.name} {args.n} companies: {query!r} ({page.by}) {page.total} found, "
                  f"{ms:.1f} ms per search (count + page of 20)")
    if db.dialect.name == "postgresql":
        with db.connect() as conn:
            for sql in ("EXPLAIN SELECT count(*) FROM companies WHERE name ILIKE '%企业04242%'",
                        "EXPLAIN SELECT count(*) FROM companies WHERE credit_code LIKE '9144030004%'"):
                print("\n".join(r[0] for r in conn.execute(text(sql))))


if __name__ == "__main__":
    main()
