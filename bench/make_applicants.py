"""Write a synthetic applicant list for measuring `subsidy import` and `subsidy screen`.

    .venv/bin/python bench/make_applicants.py 10000 /tmp/applicants.csv   (or .xlsx)
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.synthetic import synthetic_profile, write_applicants


def main(count: int, path: Path) -> None:
    write_applicants(path, [synthetic_profile(i) for i in range(count)])
    print(f"{count} applicants written to {path}")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
