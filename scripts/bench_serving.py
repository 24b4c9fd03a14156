"""The benchmark databases and their server: each database's name beside the configured one, seeding it
when missing, gunicorn serving it as in production, and the child process that reads it from inside."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/congress"
PASSWORD = "Bench-scale-2026"  # noqa: S105 (demo.scale.PASSWORD: the benchmark accounts' shared password)


def bench_url(base: str, scale: str) -> str:
    """DATABASE_URL with `_<scale>_bench` after the database name; server, credentials and options kept."""
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{scale}_bench"))


def manage(*args: str, database_url: str, env: dict[str, str] | None = None, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**os.environ, "DATABASE_URL": database_url, **(env or {})},
        check=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        text=True,
    )
    return result.stdout or ""


def seed(url: str, scale: str) -> float:
    """Seed `scale` into `url` from scratch; the wall-clock seconds it took."""
    began = time.monotonic()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "seed_scale", "--scale", scale, "--reset", "--database-url", url],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - began


def is_seeded(url: str) -> bool:

    try:
        connection = psycopg2.connect(url)
    except psycopg2.OperationalError:
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('congress_town') IS NOT NULL")
            row = cursor.fetchone()
            if not row or not row[0]:
                return False
            cursor.execute("SELECT EXISTS (SELECT 1 FROM congress_town)")
            row = cursor.fetchone()
            return bool(row and row[0])
    finally:
        connection.close()


def server_env(database_url: str, secret_key: str = "") -> dict[str, str]:
    """Production settings over plain HTTP on the loopback, with the bench-only query-count header."""
    return {
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secret_key or secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(ROOT / ".data" / "bench-static"),
        "BENCH_QUERY_HEADER": "1",
        "LOG_LEVEL": "WARNING",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(database_url: str, *, workers: int, secret_key: str = "") -> Iterator[int]:
    """gunicorn serving `database_url` on a free loopback port; yields the port, stops it afterwards."""
    env = {**os.environ, **server_env(database_url, secret_key)}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "--verbosity", "0"],
        env=env,
        check=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "congress.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120",
            "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def in_process(part: str, database_url: str, repeats: int, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `part` in a child process set up on `database_url`; its JSON answer."""
    output = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--in-process", part, "--repeats", str(repeats)],
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "congress.settings",
            "ALLOWED_HOSTS": "testserver",
            **(env or {}),
        },
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))
