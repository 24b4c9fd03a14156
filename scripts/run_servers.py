"""The database and the broker of `make run` (scripts/run.py): probing what answers where, creating the
database, and the project's own PostgreSQL cluster and redis-server under .data/ when nothing else serves."""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import environ
import psycopg2
import redis
from psycopg2 import sql

EMBEDDED_DATABASE = "congress"


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


def database_settings(url: str) -> dict[str, Any]:
    return dict(environ.Env.db_url_config(url))


def connect_maintenance(url: str, timeout: int = 3) -> psycopg2.extensions.connection:
    """Connect to the server's `postgres` database, where a missing database can be created."""
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
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:
        return False


def ensure_database(url: str) -> None:
    """Create the database named in the URL when the server does not have it yet."""
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

    def _run(self, argv: list[str], check: bool = True, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        # `su -c` takes the whole command as one string; runuser (and no one) as separate arguments.
        as_su = self.as_user[:1] == ["su"]
        argv = [*self.as_user, shlex.join(argv)] if as_su else [*self.as_user, *argv]
        result = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
        if check and result.returncode != 0:
            raise Failed(f"{Path(argv[len(self.as_user)]).name} failed:\n{result.stdout}{result.stderr}")
        return result

    def _pg_ctl(self, *args: str, check: bool = True, **kwargs: Any) -> subprocess.CompletedProcess[str]:
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
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
