"""`make run`'s embedded path: its own PostgreSQL and Redis start, the login page is served, and one
SIGINT stops every process and frees every port, leaving nothing behind even when the test fails."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.run import ROOT, port_is_free, postgres_bindir, process_is_alive

pytestmark = [pytest.mark.integration, pytest.mark.slow]

STARTUP_TIMEOUT = 180


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # Not pytest's tmp_path: as root the cluster runs as the postgres user, which cannot pass through
    # pytest's private temporary folder.
    path = Path(tempfile.mkdtemp(prefix="congress-embedded-"))
    path.chmod(0o711)
    yield path
    shutil.rmtree(path, ignore_errors=True)


class Run:
    """scripts/run.py in a session of its own, with every pid it reports, so nothing can be left over."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.web_port, self.pg_port, self.redis_port = free_ports(3)
        self.state_file = data_dir / "run.json"
        self.log = data_dir / "run.log"
        self.state: dict = {}
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
        argv = [sys.executable, "scripts/run.py", "--embedded", "--no-worker", "--no-reload"]
        argv += ["--port", str(self.web_port), "--pg-port", str(self.pg_port), "--redis-port", str(self.redis_port)]
        argv += ["--data-dir", str(data_dir), "--state-file", str(self.state_file)]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self.state_file.exists():
            assert self.process.poll() is None, f"run.py exited early:\n{self.output()}"
            assert time.monotonic() < deadline, f"run.py did not start in {STARTUP_TIMEOUT} s:\n{self.output()}"
            time.sleep(0.2)
        self.state = json.loads(self.state_file.read_text())

    def known_pids(self) -> set[int]:
        pids = set(self.state.get("pids", {}).values())
        for pidfile in (self.data_dir / "postgres" / "data" / "postmaster.pid", self.data_dir / "redis" / "redis.pid"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                pids.add(int(pidfile.read_text().split()[0]))
        return pids

    def clean_up(self) -> None:
        """Last resort when the test failed: kill whatever is still running."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for pid in self.known_pids():
            if process_is_alive(pid):
                for kill in (os.killpg, os.kill):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        kill(pid, signal.SIGKILL)


def get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


@pytest.mark.skipif(
    postgres_bindir() is None or shutil.which("redis-server") is None,
    reason="needs the PostgreSQL server programs and redis-server",
)
def test_embedded_run_serves_the_login_page_and_one_sigint_stops_everything(data_dir):
    run = Run(data_dir)
    try:
        run.wait_until_serving()
        status, body = get(run.web_port, "/accounts/login/")
        assert status == 200
        assert 'name="username"' in body
        assert '<html lang="zh-hans"' in body
        pids = set(run.state["pids"].values())
        assert set(run.state["pids"]) == {"web", "postgres", "redis"}

        run.process.send_signal(signal.SIGINT)
        assert run.process.wait(timeout=60) == 0, run.output()

        assert [pid for pid in pids if process_is_alive(pid)] == []
        assert [port for port in run.state["ports"] if not port_is_free(port)] == []
    finally:
        run.clean_up()
