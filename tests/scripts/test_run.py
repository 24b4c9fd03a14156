"""How scripts/run.py (`make run`) chooses its database and broker."""

from pathlib import Path

import pytest

from scripts import run


class FakeServer:
    def __init__(self, data_dir: Path, port: int) -> None:
        self.port = port


@pytest.fixture
def nothing_answers(monkeypatch):
    monkeypatch.setattr(run, "postgres_answers", lambda url: False)
    monkeypatch.setattr(run, "redis_answers", lambda url: False)
    monkeypatch.setattr(run, "EmbeddedPostgres", FakeServer)
    monkeypatch.setattr(run, "EmbeddedRedis", FakeServer)


def choose(env, *argv):
    return run.choose_servers(run.parse_args(list(argv)), env)


def test_urls_from_the_environment_are_used_as_given(nothing_answers):
    env = {"DATABASE_URL": "postgres://u@db.example:5432/portal", "REDIS_URL": "redis://q.example:6379/2"}

    database_url, redis_url, postgres, redis = choose(env)

    assert (database_url, redis_url, postgres, redis) == (env["DATABASE_URL"], env["REDIS_URL"], None, None)


def test_local_servers_on_standard_ports_are_used_when_they_answer(monkeypatch):
    monkeypatch.setattr(run, "postgres_answers", lambda url: True)
    monkeypatch.setattr(run, "redis_answers", lambda url: True)

    assert choose({}) == (run.DEFAULT_DATABASE_URL, run.DEFAULT_REDIS_URL, None, None)


def test_without_local_servers_the_projects_own_start(nothing_answers, monkeypatch):
    monkeypatch.setattr(run, "postgres_bindir", lambda: Path("/usr/lib/postgresql/15/bin"))
    monkeypatch.setattr(run.shutil, "which", lambda name: f"/usr/bin/{name}")

    database_url, redis_url, postgres, redis = choose({})

    assert database_url is None and redis_url is None
    assert isinstance(postgres, FakeServer) and isinstance(redis, FakeServer)


def test_congress_embedded_overrides_urls_from_the_environment(nothing_answers, monkeypatch):
    monkeypatch.setattr(run, "postgres_bindir", lambda: Path("/usr/lib/postgresql/15/bin"))
    monkeypatch.setattr(run.shutil, "which", lambda name: f"/usr/bin/{name}")
    env = {"CONGRESS_EMBEDDED": "1", "DATABASE_URL": "postgres://u@db.example/portal", "REDIS_URL": "redis://q/0"}

    database_url, redis_url, postgres, redis = choose(env)

    assert database_url is None and redis_url is None and postgres is not None and redis is not None


def test_missing_server_programs_are_named_in_one_line_with_what_to_install(nothing_answers, monkeypatch):
    monkeypatch.setattr(run, "postgres_bindir", lambda: None)
    monkeypatch.setattr(run.shutil, "which", lambda name: None)

    with pytest.raises(run.Failed) as failure:
        choose({})

    message = str(failure.value)
    assert "\n" not in message
    assert "sudo apt-get install postgresql redis-server" in message
