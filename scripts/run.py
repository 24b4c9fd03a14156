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
import hashlib
import http.client
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
MANAGE = str(ROOT / "manage.py")
PYTHON = sys.executable

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/congress"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
EMBEDDED_DATABASE = "congress"
DEV_ADMIN_USERNAME = "admin"
DEV_ADMIN_PASSWORD = "congress-dev-admin"  # noqa: S105 - development only; never created with DEBUG off
STOP_TIMEOUT = 15.0


class Stopped(Exception):
    """Raised in the main thread when SIGINT or SIGTERM asks everything to stop."""


class Failed(Exception):
    """A step could not be done; the message says why (and, where it helps, what to install)."""


def say(message: str) -> None:
    print(f"run   | {message}", flush=True)


# ---------------------------------------------------------------------------------------------- probing


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(preferred: int) -> int:
    if port_is_free(preferred):
        return preferred
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_settings(url: str) -> dict:
    import environ

    return environ.Env.db_url_config(url)


def connect_maintenance(url: str, timeout: int = 3):  # type: ignore[no-untyped-def]
    """Connect to the server's `postgres` database, where a missing database can be created."""
    import psycopg2

    db = database_settings(url)
    return psycopg2.connect(
        dbname="postgres",
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        connect_timeout=timeout,
    )


def postgres_answers(url: str) -> bool:
    try:
        connect_maintenance(url, timeout=2).close()
    except Exception:
        return False
    return True


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:
        return False


def ensure_database(url: str) -> None:
    """Create the database named in the URL when the server does not have it yet."""
    from psycopg2 import sql

    name = database_settings(url)["NAME"]
    try:
        conn = connect_maintenance(url)
    except Exception as exc:
        raise Failed(f"cannot reach PostgreSQL at {url}: {str(exc).strip()}") from exc
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                say(f"creating database {name}")
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def postgres_bindir() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres (Debian keeps them off the PATH)."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True).stdout
            candidates.append(Path(out.strip()))

    def version(path: Path) -> float:
        try:
            return float(path.parent.name)
        except ValueError:
            return 0.0

    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    for bindir in candidates:
        if all((bindir / program).is_file() for program in ("initdb", "pg_ctl", "postgres")):
            return bindir
    return None


def process_is_alive(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


# --------------------------------------------------------------------------------------- own servers


class EmbeddedPostgres:
    """A PostgreSQL cluster of the project's own, listening on 127.0.0.1 only, with trust auth."""

    def __init__(self, data_dir: Path, port: int) -> None:
        bindir = postgres_bindir()
        if bindir is None:
            raise Failed("PostgreSQL server programs not found")
        self.bindir = bindir
        self.port = port
        self.as_user: list[str] = []
        self.owner: pwd.struct_passwd | None = None
        self.base = data_dir / "postgres"
        if os.geteuid() == 0:
            # initdb and postgres refuse to run as root: run them as the postgres user on a folder it owns.
            try:
                self.owner = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise Failed("running as root needs a 'postgres' system user for the project's own cluster") from exc
            runuser = shutil.which("runuser")
            self.as_user = [runuser, "-u", "postgres", "--"] if runuser else ["su", "postgres", "-s", "/bin/sh", "-c"]
            self.base = self._reachable_base(data_dir)
        self.cluster = self.base / "data"
        self.sockets = self.base / "run"
        self.log = self.base / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{EMBEDDED_DATABASE}"

    def _reachable_base(self, data_dir: Path) -> Path:
        data_dir.mkdir(parents=True, exist_ok=True)
        data_dir.chmod(data_dir.stat().st_mode | 0o011)  # let the postgres user pass through, not list
        base = data_dir / "postgres"
        self._own(base)
        if self._run(["test", "-w", str(base)], check=False).returncode == 0:
            return base
        # A parent folder is closed to the postgres user (a private home or temporary folder): keep the
        # cluster in that user's own home instead, one folder per checkout.
        assert self.owner is not None
        digest = hashlib.sha1(str(data_dir).encode()).hexdigest()[:10]  # noqa: S324 - a folder name, not security
        fallback = Path(self.owner.pw_dir) / f"congress-{digest}"
        say(f"the postgres user cannot reach {base}; keeping the cluster in {fallback}")
        self._run(["mkdir", "-p", "-m", "700", str(fallback)])
        return fallback

    def _own(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        if self.owner is not None:
            os.chown(path, self.owner.pw_uid, self.owner.pw_gid)
        path.chmod(0o700)

    def _run(self, argv: list[str], check: bool = True, **kwargs) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
        if self.as_user and self.as_user[0] == "su":
            import shlex

            argv = [*self.as_user, shlex.join(argv)]
        else:
            argv = [*self.as_user, *argv]
        result = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
        if check and result.returncode != 0:
            raise Failed(f"{Path(argv[len(self.as_user)]).name} failed:\n{result.stdout}{result.stderr}")
        return result

    def _pg_ctl(self, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
        return self._run([str(self.bindir / "pg_ctl"), "-D", str(self.cluster), *args], check=check, **kwargs)

    @property
    def pid(self) -> int | None:
        try:
            return int((self.cluster / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def start(self) -> None:
        if not (self.cluster / "PG_VERSION").exists():
            say(f"creating the project's PostgreSQL cluster in {self.cluster}")
            initdb = [str(self.bindir / "initdb"), "-D", str(self.cluster), "-U", "postgres", "-A", "trust"]
            self._run([*initdb, "-E", "UTF8", "--no-locale", "--no-instructions"])
        if self._pg_ctl("status", check=False).returncode == 0:
            say("stopping a PostgreSQL left running by an earlier run")
            self._pg_ctl("-m", "fast", "-w", "stop", check=False)
        self._own(self.sockets)
        import shlex

        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {shlex.quote(str(self.sockets))}"
        say(f"starting PostgreSQL on 127.0.0.1:{self.port}")
        # A session of its own keeps a terminal's Ctrl-C away: the supervisor stops it last, in order.
        self._pg_ctl("-l", str(self.log), "-o", options, "-w", "-t", "60", "start", start_new_session=True)

    def stop(self) -> None:
        if self.pid is not None:
            say("stopping PostgreSQL")
            self._pg_ctl("-m", "fast", "-w", "-t", "30", "stop", check=False)


class EmbeddedRedis:
    """A redis-server of the project's own: 127.0.0.1 only, no persistence (it only carries the queue)."""

    def __init__(self, data_dir: Path, port: int) -> None:
        self.program = shutil.which("redis-server")
        if self.program is None:
            raise Failed("redis-server not found")
        self.port = port
        self.dir = data_dir / "redis"
        self.pidfile = self.dir / "redis.pid"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self._stop_leftover()
        say(f"starting Redis on 127.0.0.1:{self.port}")
        argv = [self.program or "redis-server", "--bind", "127.0.0.1", "--port", str(self.port)]
        argv += ["--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", str(self.dir)]
        argv += ["--pidfile", str(self.pidfile), "--logfile", str(self.dir / "redis.log")]
        self.process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=die_with_parent
        )
        deadline = time.monotonic() + 15
        while not redis_answers(self.url):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise Failed(f"redis-server did not start; see {self.dir / 'redis.log'}")
            time.sleep(0.1)

    def _stop_leftover(self) -> None:
        try:
            pid = int(self.pidfile.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return
        if b"redis-server" in cmdline and process_is_alive(pid):
            say("stopping a Redis left running by an earlier run")
            os.kill(pid, signal.SIGTERM)
            wait_until(lambda: not process_is_alive(pid), 10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            say("stopping Redis")
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def die_with_parent() -> None:
    """In a child before exec: take SIGTERM when the supervisor dies, even by SIGKILL (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


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
