import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from congress.settings import INSECURE_SECRET_KEY, check_production_settings

ROOT = Path(__file__).resolve().parents[2]


def test_debug_off_refuses_the_development_secret_key():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        check_production_settings(debug=False, secret_key=INSECURE_SECRET_KEY, allowed_hosts=["portal.example"])


def test_debug_off_refuses_empty_allowed_hosts():
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        check_production_settings(debug=False, secret_key="x" * 50, allowed_hosts=[])


def test_debug_off_accepts_real_values():
    check_production_settings(debug=False, secret_key="k3y-" * 12, allowed_hosts=["portal.example"])


def test_sessions_and_cache_live_in_postgresql(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_a_secret_key_starting_with_a_dollar_is_taken_verbatim():
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    key = "$" + "k3y-" * 12
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": key, "ALLOWED_HOSTS": "portal.example"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", "from congress import settings; print(settings.SECRET_KEY)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=django_settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key


WORKER_SETTINGS = [
    "CELERY_TASK_SERIALIZER",
    "CELERY_TASK_ACKS_LATE",
    "CELERY_TASK_REJECT_ON_WORKER_LOST",
    "CELERY_WORKER_PREFETCH_MULTIPLIER",
    "CELERY_BROKER_TRANSPORT_OPTIONS",
    "CELERY_TASK_SOFT_TIME_LIMIT",
    "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP",
    "CELERY_BEAT_SCHEDULER",
]


def test_the_worker_settings_hold_together():
    from congress.celery import app

    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert (conf.task_serializer, list(conf.accept_content)) == ("json", ["json"])
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    # Redis redelivers an unacknowledged message after the visibility timeout: it must outlast the
    # longest task, or a message would run twice at once, and bring a killed worker's message back within
    # 5 minutes (tests/congress/test_celery_timing.py; no task is sent with a countdown or an ETA).
    assert conf.task_time_limit < conf.broker_transport_options["visibility_timeout"] < 5 * 60
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_each_worker_setting_says_why_in_the_line_above_its_group():
    from pathlib import Path

    from django.conf import settings as django_settings

    lines = (Path(django_settings.BASE_DIR) / "congress" / "settings.py").read_text().splitlines()
    for name in WORKER_SETTINGS:
        (index,) = [i for i, line in enumerate(lines) if line.startswith(f"{name} =")]
        above = lines[index - 1].strip()
        assert above.startswith("#") and len(above) > 20, f"{name} has no reason above it"


def test_tasks_take_ids_and_iso_dates_only():
    import inspect

    from congress.celery import app

    app.loader.import_default_modules()
    ours = [task for name, task in app.tasks.items() if name.split(".")[0] in {"congress", "visits", "supervision"}]
    assert len(ours) >= 7
    for task in ours:
        for parameter in inspect.signature(task.run).parameters.values():
            assert parameter.annotation in {"str | None", "int", "str", "int | None"}, (task.name, parameter)


def test_a_kept_database_connection_is_checked_before_reuse(settings):
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["ATOMIC_REQUESTS"] is False  # the reasons: docs/architecture.md


def _variables_read_by_settings() -> set[str]:
    """The environment variables congress/settings.py reads: env.<kind>("NAME"), env("NAME"), os.environ.get("NAME")."""
    tree = ast.parse((ROOT / "congress" / "settings.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        func = ast.unparse(node.func)
        if func == "env" or func.startswith("env.") or func in {"os.environ.get", "os.getenv"}:
            names.add(node.args[0].value)
    return names


def _variables_in_the_readme_table() -> dict[str, str]:
    """The README's configuration table: variable → its row."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([A-Z0-9_]+)` \|(.*)$", section, flags=re.MULTILINE)
    return dict(rows)


def test_the_readme_lists_every_variable_the_settings_read():
    read = _variables_read_by_settings()
    listed = _variables_in_the_readme_table()
    assert len(read) > 25  # the parser found the settings' reads
    assert read - listed.keys() == set()


def test_the_readme_lists_no_variable_that_nothing_reads():
    sources = [ROOT / "Makefile", ROOT / ".ci" / "run", *ROOT.glob("scripts/*"), *ROOT.glob("tests/**/*.py")]
    sources += [path for app in ("congress", "demo") for path in (ROOT / app).rglob("*.py")]
    text = "\n".join(path.read_text(encoding="utf-8") for path in sources if path.is_file())
    unread = {name for name in _variables_in_the_readme_table() if name not in text}
    assert unread == set()
    # The cookie's age follows SESSION_ABSOLUTE_TIMEOUT; it is not a variable of its own.
    assert "SESSION_COOKIE_AGE" not in _variables_in_the_readme_table()
