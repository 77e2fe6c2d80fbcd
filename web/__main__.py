"""`python -m web`: serve the app for people to try (what `make run` starts).

A development server on loopback; production runs create_app() under a WSGI server instead.
"""

from __future__ import annotations

import click
from werkzeug.serving import run_simple

from . import create_app
from .engine_ext import get_engine


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def main(host: str, port: int) -> None:
    """Serve the self-check, the rule browser and the API."""
    app = create_app()
    with app.app_context():
        engine = get_engine()  # compile now, so that a rule error shows before serving
    base = f"http://{host}:{port}"
    click.echo(f"rules version {engine.rules_version}")
    click.echo(f"企业自查 / Self-check:  {base}/   (载入示例企业 / example firms on that page)")
    click.echo(f"政策条款 / Rules:       {base}/rules/")
    click.echo(f"API (OpenAPI):          {base}/api/v1/openapi.json")
    run_simple(host, port, app, threaded=True)


if __name__ == "__main__":
    main()
