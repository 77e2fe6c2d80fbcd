"""Smoke test of production serving (docs/deploy.md): the app under gunicorn with two worker
processes, one shared secret key and a migrated, seeded database, as an operator would start it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from .conftest import DemoData

GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(demo: DemoData, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{demo.path}",
           "SUBSIDY_SECRET_KEY": "smoke-test-secret", "SUBSIDY_SCREEN_WORKERS": "0"}
    output = log.open("wb")
    process = subprocess.Popen(
        [str(GUNICORN), "--workers", "2", "--threads", "2", "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "web:create_app()"],
        env=env, cwd=Path(__file__).resolve().parents[2], stdout=output,
        stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):  # each worker compiles the catalog on its first request
            try:
                with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=30):
                    break
            except OSError:  # not listening yet, or a worker still compiling the rules
                if process.poll() is not None:
                    pytest.fail(log.read_text())
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        output.close()



def test_the_app_serves_under_gunicorn(server: str) -> None:
    with urllib.request.urlopen(server + "/", timeout=30) as page:
        assert page.status == 200 and "企业" in page.read().decode()
    # The compiled catalogs, the generated document and the page rendered from it.
    with urllib.request.urlopen(server + "/docs/api/?lang=en", timeout=30) as page:
        text = page.read().decode()
        assert page.status == 200 and "API reference" in text and 'id="op-assess"' in text
    with urllib.request.urlopen(server + "/api/v1/openapi.json", timeout=30) as document:
        assert "/api/v1/assess" in json.load(document)["paths"]
    body = json.dumps({"profile": {"city": "shenzhen", "registered_district": "futian",
                                   "st_staff": 1, "employees_total": 20000},
                       "as_of": "2020-06-01"}).encode()
    request = urllib.request.Request(server + "/api/v1/assess", data=body,
                                     headers={"Content-Type": "application/json"})
    answers = []
    for _ in range(4):
        with urllib.request.urlopen(request, timeout=60) as response:
            answers.append(json.load(response))
    versions = {a["rules_version"] for a in answers}
    assert len(versions) == 1  # every worker process compiled the same rules
    assert all(len(a["decisions"]) > 50 for a in answers)


def test_a_login_holds_across_worker_processes(server: str) -> None:
    """With the shared secret key a session cookie signed by one worker is valid in the other."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with opener.open(server + "/login", timeout=30) as response:
        form = response.read().decode()
    token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    data = f"csrf_token={token}&username=official&password=official-demo".encode()
    with opener.open(server + "/login", data=data, timeout=30) as response:
        assert response.url.rstrip("/").endswith("/official")
    statuses = []
    for _ in range(6):
        with opener.open(server + "/official/", timeout=30) as response:
            statuses.append((response.status, response.url.rstrip("/").endswith("/official")))
    assert statuses == [(200, True)] * 6
