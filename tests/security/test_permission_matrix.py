"""Every named URL × every persona × GET and POST gives the outcome its matrix row expects."""

from __future__ import annotations

import pytest

from tests.security.matrix import (
    ADMIN,
    LOGIN,
    OK,
    REFUSED,
    collect_rows,
    missing_rows,
    outcome_of,
    rolled_back_cast,
    snapshot,
    url_names,
)

ROWS = collect_rows()
CASES = [
    pytest.param(row, persona, method, id=f"{row.url}-{persona}-{method}")
    for row in ROWS
    for method in ("GET", "POST")
    for persona in row.get
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One cast for the whole matrix, inside a transaction, its personas signed in once; each test runs in
    a savepoint within it (uploads go to the module's media folder)."""
    with rolled_back_cast(django_db_blocker, tmp_path_factory.mktemp("media")) as cast:
        yield cast


@pytest.mark.parametrize(("row", "persona", "method"), CASES)
def test_permission_matrix(row, persona, method, world, db, client):
    objects = row.objects(world)
    user = world.sign_in(client, persona)
    target = row.target(objects) if row.target else None
    before = snapshot(target) if target is not None else None
    path = row.path(objects)

    response = client.get(path) if method == "GET" else client.post(path, row.data(objects))

    expected = row.expected(method, persona)
    assert outcome_of(response) == expected, f"{method} {path} as {persona} ({row.source})"
    if user is not None and expected == OK:
        # Whatever a signed-in user is shown (pages, fragments, downloads) may carry personal data.
        assert "no-store" in response.get("Cache-Control", ""), f"{method} {path} as {persona} may be stored"
    if method == "POST" and expected in REFUSED and target is not None:
        assert snapshot(target) == before, f"a refused POST changed {target!r}"


def test_every_url_has_a_row():
    missing = missing_rows(url_names(), ROWS)
    assert not missing, "URL names without a matrix row (add them to tests/security/matrix_*.py): " + ", ".join(missing)


def test_every_row_names_a_url_that_exists():
    names = url_names()
    assert [row.url for row in ROWS if row.url not in names] == []


def test_the_missing_row_check_reports_a_new_url(settings):
    settings.ROOT_URLCONF = "tests.security.urls_probe"
    assert missing_rows(url_names(), ROWS) == ["matrix_probe"]


def test_the_admin_is_one_rule_for_superusers_only():
    admin_rows = [row for row in ROWS if row.key == ADMIN]
    assert {row.url for row in admin_rows} >= {"admin:index"}
    assert any(row.url.endswith("_changelist") for row in admin_rows)
    for row in admin_rows:
        for outcomes in (row.get, row.post):
            assert {p for p, o in outcomes.items() if o not in (LOGIN,)} == {"superuser"}
            assert outcomes["superuser"] == OK


def test_object_urls_check_that_refused_posts_change_nothing():
    object_rows = [row for row in ROWS if row.takes_object]
    assert object_rows
    assert [row.url for row in object_rows if row.target is None] == []
