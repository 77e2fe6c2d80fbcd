"""`subsidy seed`: load the demo data (seed profiles, demo users) into DATABASE_URL; idempotent."""

from __future__ import annotations

import click

from engine.store.demo import login_lines, seed_demo

from .storage import open_sessions, transaction


@click.command()
def seed() -> None:
    """Store the seed profiles as profile versions and create the demo users (once)."""
    with transaction(open_sessions()) as session:
        added, logins = seed_demo(session)
    click.echo(f"示例数据 demo data: {added} profile versions added")
    click.echo("演示账号 demo logins (username / password):")
    click.echo("\n".join(login_lines(logins)))
