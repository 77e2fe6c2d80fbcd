"""The `subsidy` command line: one module per command group, a thin shell over the engine and the
store.

May import everything in `engine` (it is the top layer); nothing in `engine` imports it.
"""

from __future__ import annotations

import click

from .assess import assess, demo, schema
from .companies import companies
from .drafts import draft_impact_command, draft_job_command
from .export import export, export_job_command, export_profiles, letter
from .push import push
from .recheck import recheck
from .rules import rules
from .runs import runs
from .screen import screen
from .seed import seed
from .spark import spark_screen
from .storage import db, import_command, import_template


@click.group()
def main() -> None:
    """Subsidy eligibility: which support items a firm qualifies for, how much, and why."""


for command in (schema, assess, demo, rules, letter, export, export_job_command, export_profiles, db,
                import_command, import_template, screen, runs, seed, spark_screen, draft_impact_command,
                draft_job_command, push, companies, recheck):
    main.add_command(command)
