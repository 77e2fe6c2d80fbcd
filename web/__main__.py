"""`python -m web`: serve the app for people to try (what `make run` starts).

A development server on loopback; production runs create_app() under a WSGI server instead.
"""

from __future__ import annotations

import click
from werkzeug.serving import WSGIRequestHandler, run_simple

from engine.store import DEMO_LOGINS, find_user, login_lines

from . import create_app
from .db import sessions
from .engine_ext import get_engine


class QuietHandler(WSGIRequestHandler):
    """The development server without its `Server: Werkzeug/x Python/y` banner: naming the
    software and its version only helps someone looking for a known hole."""

    server_version = "subsidy"
    sys_version = ""

    def version_string(self) -> str:
        return self.server_version


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def main(host: str, port: int) -> None:
    """Serve the self-check, the rule browser, the console and the API (after `subsidy db upgrade`
    and `subsidy seed`, which `make run` does first)."""
    app = create_app()
    with app.app_context():
        engine = get_engine()  # compile now, so that a rule error shows before serving
    base = f"http://{host}:{port}"
    click.echo(f"rules version {engine.rules_version}")
    click.echo(f"企业自查 / Self-check:  {base}/   (载入示例企业 / example firms on that page)")
    click.echo(f"政策条款 / Rules:       {base}/rules/")
    click.echo(f"API (OpenAPI):          {base}/api/v1/openapi.json")
    click.echo(f"登录 / Log in:          {base}/login   筛查工作台 / console: {base}/official/")
    with app.app_context(), sessions()() as session:
        present = [x for x in DEMO_LOGINS if find_user(session, x.username) is not None]
    if present:
        click.echo("演示账号 / demo logins (username / password):")
        click.echo("\n".join(login_lines(present)))
    click.echo(f"数据库 / database: {app.config['DATABASE_URL']}")
    run_simple(host, port, app, threaded=True, request_handler=QuietHandler)


if __name__ == "__main__":
    main()
