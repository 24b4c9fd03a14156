#!/usr/bin/env python3
"""Run the whole portal in the foreground: web, Celery worker and beat; one Ctrl-C stops them all.

The database and the broker come from DATABASE_URL and REDIS_URL when they are set, else from the local
PostgreSQL and Redis on their standard ports when those answer, else from servers of the project's own
under .data/ (a PostgreSQL cluster and a redis-server on ports of their own, stopped on exit).
CONGRESS_EMBEDDED=1 (or --embedded) always uses the project's own servers.

Before starting it migrates, creates the cache table, compiles the translations and loads the demo data
(or, until a demo loader exists, creates a development superuser).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

# Run as `python scripts/run.py`, the script's own folder comes first on the path: the project's root lets
# the `scripts.` import below be found.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.run_servers import (
    EMBEDDED_DATABASE,
    EmbeddedPostgres,
    EmbeddedRedis,
    Failed,
    connect_maintenance,
    database_settings,
    die_with_parent,
    ensure_database,
    free_port,
    port_is_free,
    postgres_answers,
    postgres_bindir,
    process_is_alive,
    redis_answers,
    say,
    wait_until,
)

# Names other scripts and the tests import from here, from before the servers moved to run_servers.
__all__ = [
    "EMBEDDED_DATABASE",
    "EmbeddedPostgres",
    "EmbeddedRedis",
    "Failed",
    "connect_maintenance",
    "database_settings",
    "die_with_parent",
    "ensure_database",
    "free_port",
    "main",
    "port_is_free",
    "postgres_answers",
    "postgres_bindir",
    "process_is_alive",
    "redis_answers",
    "say",
    "wait_until",
]

ROOT = Path(__file__).resolve().parent.parent
MANAGE = str(ROOT / "manage.py")
PYTHON = sys.executable

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/congress"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEV_ADMIN_USERNAME = "admin"
DEV_ADMIN_PASSWORD = "congress-dev-admin"  # noqa: S105 - development only; never created with DEBUG off
STOP_TIMEOUT = 15.0


class Stopped(Exception):
    """Raised in the main thread when SIGINT or SIGTERM asks everything to stop."""


# ------------------------------------------------------------------------------------ the processes


class Child:
    """A long-running process in a process group of its own, its output prefixed with its name."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        self.reader = threading.Thread(target=self._relay, daemon=True)
        self.reader.start()

    def _relay(self) -> None:
        assert self.process.stdout is not None
        for raw in iter(self.process.stdout.readline, b""):
            sys.stdout.write(f"{self.name:<6}| {raw.decode(errors='replace')}")
            sys.stdout.flush()

    @property
    def pid(self) -> int:
        return self.process.pid

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)

    def group_is_empty(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


def stop_children(children: list[Child], hurry: Callable[[], bool]) -> None:
    """SIGTERM every group (warm shutdown for Celery), then SIGKILL whatever outlives the timeout."""
    for child in children:
        if child.process.poll() is None:
            say(f"stopping {child.name}")
        child.signal_group(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while any(c.process.poll() is None for c in children) and time.monotonic() < deadline and not hurry():
        time.sleep(0.1)
    for child in children:
        if child.process.poll() is None or not child.group_is_empty():
            child.signal_group(signal.SIGKILL)
        child.process.wait()
        child.reader.join(timeout=2)


def manage(env: dict[str, str], *args: str, quiet: bool = True) -> None:
    """Run a management command; its output is shown only when it fails (unless quiet is False)."""
    result = subprocess.run(
        [PYTHON, MANAGE, *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        text=True,
        capture_output=quiet,
        check=False,
    )
    if result.returncode != 0:
        raise Failed(f"manage.py {' '.join(args)} failed:\n{result.stdout or ''}{result.stderr or ''}")


def has_translations() -> bool:
    skip = {".venv", ".data", ".git", "node_modules"}
    for _dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in skip]
        if any(name.endswith(".po") for name in filenames):
            return True
    return False


def ensure_dev_admin(env: dict[str, str]) -> str:
    """Create the development superuser once; never with DEBUG off. Returns what to tell the user."""
    code = (
        "from django.conf import settings\n"
        "from django.contrib.auth import get_user_model\n"
        "User = get_user_model()\n"
        "if not settings.DEBUG: print('debug-off')\n"
        f"elif User.objects.filter(username={DEV_ADMIN_USERNAME!r}).exists(): print('exists')\n"
        f"else: User.objects.create_superuser({DEV_ADMIN_USERNAME!r}, 'admin@localhost', {DEV_ADMIN_PASSWORD!r});"
        " print('created')\n"
    )
    result = subprocess.run(
        [PYTHON, MANAGE, "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise Failed(f"creating the development superuser failed:\n{result.stdout}{result.stderr}")
    outcome = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    if outcome == "debug-off":
        return "DEBUG is off, so no development superuser: create one with `manage.py createsuperuser`"
    if outcome == "created":
        return f"{DEV_ADMIN_USERNAME} / {DEV_ADMIN_PASSWORD}  (development superuser, created now)"
    return f"{DEV_ADMIN_USERNAME} / {DEV_ADMIN_PASSWORD}  (development superuser, unless its password was changed)"


def prepare(env: dict[str, str]) -> list[str]:
    """Bring the database up to date and load the demo data. Returns the login lines to print."""
    say("migrating the database")
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    if has_translations():
        if shutil.which("msgfmt"):
            manage(env, "compilemessages", "--ignore=.venv", "--ignore=.data", "--verbosity=0")
        else:
            say("translations not compiled: msgfmt is missing (sudo apt-get install gettext)")
    if list(ROOT.glob("*/management/commands/seed_demo.py")):
        say("loading the demo town")
        manage(env, "seed_demo", quiet=False)
        return ["the demo accounts printed above by seed_demo"]
    return [ensure_dev_admin(env)]


def wait_for_http(port: int, path: str, child: Child, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            raise Failed(f"the web server exited with status {child.process.returncode}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.3)
    raise Failed(f"the web server did not answer on port {port} within {timeout:.0f} s")


# ----------------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000, help="web port on 127.0.0.1 (default 8000)")
    parser.add_argument("--embedded", action="store_true", help="always use the project's own servers")
    parser.add_argument("--no-worker", action="store_true", help="start the web server only, no worker or beat")
    parser.add_argument("--no-reload", action="store_true", help="do not restart the web server on code changes")
    parser.add_argument("--data-dir", type=Path, default=ROOT / ".data", help="where the project's own servers live")
    parser.add_argument("--pg-port", type=int, default=54329, help="port of the project's own PostgreSQL")
    parser.add_argument("--redis-port", type=int, default=63799, help="port of the project's own Redis")
    parser.add_argument("--state-file", type=Path, help="write the URL and process ids here once serving")
    return parser.parse_args(argv)


def choose_servers(
    args: argparse.Namespace, env: dict[str, str]
) -> tuple[str | None, str | None, EmbeddedPostgres | None, EmbeddedRedis | None]:
    """Decide where the database and the broker come from; report missing programs in one line."""
    forced = args.embedded or env.get("CONGRESS_EMBEDDED", "").lower() in {"1", "true", "yes", "on"}
    database_url = None if forced else env.get("DATABASE_URL")
    redis_url = None if forced else env.get("REDIS_URL")
    if not forced and not database_url and postgres_answers(DEFAULT_DATABASE_URL):
        database_url = DEFAULT_DATABASE_URL
    if not forced and not redis_url and redis_answers(DEFAULT_REDIS_URL):
        redis_url = DEFAULT_REDIS_URL

    missing: list[tuple[str, str, str]] = []
    if database_url is None and postgres_bindir() is None:
        missing.append(("PostgreSQL", "postgresql", "DATABASE_URL"))
    if redis_url is None and shutil.which("redis-server") is None:
        missing.append(("Redis", "redis-server", "REDIS_URL"))
    if missing:
        raise Failed(
            f"{' and '.join(m[0] for m in missing)} not found: install with "
            f"`sudo apt-get install {' '.join(m[1] for m in missing)}` or set {' / '.join(m[2] for m in missing)}"
        )
    postgres = EmbeddedPostgres(args.data_dir, free_port(args.pg_port)) if database_url is None else None
    redis = EmbeddedRedis(args.data_dir, free_port(args.redis_port)) if redis_url is None else None
    return database_url, redis_url, postgres, redis


class Signals:
    """The first SIGINT/SIGTERM raises Stopped in the main thread; once stopping, a signal only asks to hurry."""

    def __init__(self) -> None:
        self.hurry = False
        self.previous = {s: signal.signal(s, self._first) for s in (signal.SIGINT, signal.SIGTERM)}

    def _first(self, signum: int, frame: FrameType | None) -> None:
        self.stopping()
        raise Stopped

    def _again(self, signum: int, frame: FrameType | None) -> None:
        self.hurry = True

    def stopping(self) -> None:
        for signum in self.previous:
            signal.signal(signum, self._again)

    def restore(self) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)


def banner(url: str, logins: list[str], database_url: str, redis_url: str, own_db: bool, own_redis: bool) -> str:
    return "\n".join(
        [
            "",
            f"  镇人大工作平台 is running at {url}",
            f"  sign in at {url}accounts/login/ as:",
            *[f"    {line}" for line in logins],
            f"  database {database_url}" + ("  (the project's own)" if own_db else ""),
            f"  broker   {redis_url}" + ("  (the project's own)" if own_redis else ""),
            "  Press Ctrl-C to stop everything.",
            "",
        ]
    )


def start_children(args: argparse.Namespace, env: dict[str, str]) -> list[Child]:
    runserver = [PYTHON, MANAGE, "runserver", f"127.0.0.1:{args.port}"]
    if args.no_reload:
        runserver.append("--noreload")
    children = [Child("web", runserver, env)]
    if not args.no_worker:
        celery = [PYTHON, "-m", "celery", "-A", "congress"]
        scheduler = "--scheduler=django_celery_beat.schedulers:DatabaseScheduler"
        children.append(Child("worker", [*celery, "worker", "--loglevel=INFO", "--concurrency=2"], env))
        children.append(Child("beat", [*celery, "beat", "--loglevel=INFO", scheduler], env))
    return children


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not port_is_free(args.port):
        print(
            f"port {args.port} is in use: stop what serves it or choose another (make run PORT=8001)", file=sys.stderr
        )
        return 1
    env = dict(os.environ)
    children: list[Child] = []
    postgres: EmbeddedPostgres | None = None
    redis: EmbeddedRedis | None = None
    status = 0
    signals = Signals()
    try:
        database_url, redis_url, postgres, redis = choose_servers(args, env)
        if postgres is not None:
            postgres.start()
            database_url = postgres.url
        if redis is not None:
            redis.start()
            redis_url = redis.url
        assert database_url is not None and redis_url is not None
        ensure_database(database_url)
        if not redis_answers(redis_url):
            say(f"warning: Redis does not answer at {redis_url}; the worker will keep retrying")
        env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, PYTHONUNBUFFERED="1")
        env.pop("CELERY_BROKER_URL", None)
        logins = prepare(env)

        children = start_children(args, env)
        wait_for_http(args.port, "/accounts/login/", children[0], timeout=120)
        url = f"http://127.0.0.1:{args.port}/"
        print(banner(url, logins, database_url, redis_url, postgres is not None, redis is not None), flush=True)
        if args.state_file:
            pids = {c.name: c.pid for c in children}
            pids.update({name: s.pid for name, s in (("postgres", postgres), ("redis", redis)) if s and s.pid})
            ports = [args.port, *(s.port for s in (postgres, redis) if s)]
            args.state_file.write_text(json.dumps({"url": url, "pids": pids, "ports": ports}))

        while True:
            for child in children:
                if child.process.poll() is not None:
                    raise Failed(f"{child.name} exited with status {child.process.returncode}; stopping all")
            time.sleep(0.5)
    except Stopped:
        say("stopping (Ctrl-C again to hurry)")
    except Failed as exc:
        print(f"run   | {exc}", file=sys.stderr, flush=True)
        status = 1
    finally:
        signals.stopping()
        stop_children(children, lambda: signals.hurry)
        if redis is not None:
            redis.stop()
        if postgres is not None:
            postgres.stop()
        if args.state_file:
            args.state_file.unlink(missing_ok=True)
        signals.restore()
        if children or postgres or redis:
            say("all stopped")
    return status


if __name__ == "__main__":
    sys.exit(main())
