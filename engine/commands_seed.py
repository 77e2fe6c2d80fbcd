"""`subsidy seed`: load the demo data (seed profiles, demo users) into DATABASE_URL; idempotent."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .commands_store import open_sessions, transaction

if TYPE_CHECKING:
    from .store.demo import DemoLogin


def login_lines(logins: list[DemoLogin]) -> list[str]:
    """'  official / official-demo  (official)' lines, as `make run` prints them."""
    return [f"  {x.username} / {x.password}  ({x.role}{', ' + x.company if x.company else ''})"
            for x in logins]


@click.command()
def seed() -> None:
    """Store the seed profiles as profile versions and create the demo users (once)."""
    from .store.demo import seed_demo

    with transaction(open_sessions()) as session:
        added, logins = seed_demo(session)
    click.echo(f"示例数据 demo data: {added} profile versions added")
    click.echo("演示账号 demo logins (username / password):")
    click.echo("\n".join(login_lines(logins)))
