"""Screen in the background: `subsidy screen --resume RUN` in a subprocess, so that the request
returns at once and durable_rules runs in processes of its own (it is not safe across threads in
one process beyond the engine's lock). The run's rows in the database are the progress; the CLI
marks the run incomplete if the process is killed, and the console can resume it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from flask import Flask

from engine.store import PROJECT_ROOT, Run, may_start

_lock = threading.Lock()
# (database URL, run id) -> its screening process; finished ones are reaped on the next launch.
_children: dict[tuple[str, int], subprocess.Popen[bytes]] = {}
# (database URL, export job id) -> its export process.
_exports: dict[tuple[str, int], subprocess.Popen[bytes]] = {}
# (database URL, draft job id) -> its policy-draft impact process.
_drafts: dict[tuple[str, int], subprocess.Popen[bytes]] = {}


def command(app: Flask, run_id: int) -> list[str]:
    cmd = [sys.executable, "-m", "engine.cli", "screen", "--resume", str(run_id)]
    if app.config["SCREEN_WORKERS"] is not None:
        cmd += ["--workers", str(app.config["SCREEN_WORKERS"])]
    if app.config["RULES_DIR"]:
        cmd += ["--rules-dir", str(app.config["RULES_DIR"])]
    return cmd


def may_launch(app: Flask, session: Any, user: str) -> bool:
    """Whether `user` may start (or resume) one more screening now (RUNS_PER_USER and
    RUNS_PER_SERVER; runs whose process died do not count)."""
    return may_start(session, user, app.config["RUNS_PER_USER"], app.config["RUNS_PER_SERVER"])


def mark_running(run: Run) -> None:
    """Before launching: the run reads `running` from the first page view on, not `incomplete`
    until the subprocess has started (the page would offer to resume it). The caller commits."""
    run.status = "running"


def launch(app: Flask, run_id: int) -> None:
    """Start screening run `run_id` (committed, marked running) and return; output goes to a log
    file in the instance folder, where an operator can read why a run stopped."""
    logs = Path(app.instance_path) / "screen-logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": str(app.config["DATABASE_URL"])}
    with _lock:
        for done in [r for r, c in _children.items() if c.poll() is not None]:
            del _children[done]
        with (logs / f"run-{run_id}.log").open("ab") as log:
            _children[(str(app.config["DATABASE_URL"]), run_id)] = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
                command(app, run_id), cwd=PROJECT_ROOT, env=env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT)


def died(app: Flask, run: Run) -> bool:
    """True if this process launched the run and its screening process has exited while the run
    still reads `running` (it crashed before or while claiming the run): the caller marks the run
    incomplete so that the page stops waiting and offers to resume it."""
    with _lock:
        child = _children.get((str(app.config["DATABASE_URL"]), run.id))
        return run.status == "running" and child is not None and child.poll() is not None


def wait_all(timeout: float = 120) -> None:
    """Wait for every screening this process started (tests, shutdown); they stay known to
    died() until the next launch reaps them."""
    with _lock:
        for child in _children.values():
            child.wait(timeout)


def export_folder(app: Flask) -> Path:
    """Where background exports are written (the instance folder: never served as static)."""
    return Path(app.instance_path) / "exports"


def launch_export(app: Flask, job_id: int) -> None:
    """Start `subsidy export-job JOB` and return; its output goes to a log beside the files."""
    _launch_job(app, _exports, "export-job", "export", job_id, [])


def _launch_job(app: Flask, children: dict[tuple[str, int], subprocess.Popen[bytes]],
                command: str, log_name: str, job_id: int, extra: list[str]) -> None:
    """Start `subsidy COMMAND JOB --folder EXPORTS [extra]` in a process of its own, logging
    beside the files, and remember it (by database and job) so a page can tell it died."""
    folder = export_folder(app)
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": str(app.config["DATABASE_URL"])}
    cmd = [sys.executable, "-m", "engine.cli", command, str(job_id), "--folder", str(folder),
           *extra]
    with _lock:
        for done in [r for r, c in children.items() if c.poll() is not None]:
            del children[done]
        with (folder / f"{log_name}-{job_id}.log").open("ab") as log:
            children[(str(app.config["DATABASE_URL"]), job_id)] = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
                cmd, cwd=PROJECT_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT)


def _job_died(app: Flask, children: dict[tuple[str, int], subprocess.Popen[bytes]],
              job: Any) -> bool:
    with _lock:
        child = children.get((str(app.config["DATABASE_URL"]), job.id))
        return job.status == "running" and child is not None and child.poll() is not None


def export_died(app: Flask, job: Any) -> bool:
    """True if this process launched the export and it exited while the job reads running."""
    return _job_died(app, _exports, job)


def wait_exports(timeout: float = 120) -> None:
    with _lock:
        for child in _exports.values():
            child.wait(timeout)


def launch_draft(app: Flask, job_id: int) -> None:
    """Start `subsidy draft-job JOB` and return: the draft is compiled and run in that process
    (durable_rules rulesets are never freed, so the web process compiles no draft); its flips
    and log go to the export folder."""
    rules = app.config["RULES_DIR"]
    _launch_job(app, _drafts, "draft-job", "draft", job_id,
                ["--rules-dir", str(rules)] if rules else [])


def draft_died(app: Flask, job: Any) -> bool:
    """True if this process launched the draft job and it exited while the job reads running."""
    return _job_died(app, _drafts, job)


def wait_drafts(timeout: float = 300) -> None:
    with _lock:
        for child in _drafts.values():
            child.wait(timeout)
