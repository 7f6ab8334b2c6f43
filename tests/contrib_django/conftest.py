"""The Django test databases: made once per session by Django's own ``setup_databases``.

pytest-django (``DJANGO_SETTINGS_MODULE = tests.contrib_django.settings``)
configures Django and blocks database access outside the tests that ask for
it; ``django_databases`` fills in the throwaway servers' addresses, then runs
``django.test.utils.setup_databases`` (what ``manage.py test`` runs: it
creates the ``test_*`` databases and applies every migration, the app's
``0001`` making the store's tables) and tears them down at the end. The tests
of a backend whose server cannot start here are skipped with its reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("django", reason="the Django app's tests need the 'django' extra")

from tests.contrib_django import databases

#: Backend → its aliases, and the session fixture giving its server.
BACKENDS = {
    "sqlite": (("default", "default_other"), None),
    "postgres": (("postgres", "postgres_other"), "postgres_dsn"),
    "mariadb": (("mariadb", "mariadb_other"), "mariadb_url"),
}


@pytest.fixture(scope="session")
def django_databases(
    request: pytest.FixtureRequest, django_db_blocker: Any
) -> Iterator[dict[str, str]]:
    """Backend → why it is missing ('' when its databases are set up)."""
    from django.test.utils import setup_databases, teardown_databases

    missing: dict[str, str] = {}
    aliases: set[str] = set()
    for backend, (names, server) in BACKENDS.items():
        if server is not None:
            try:
                where = request.getfixturevalue(server)
            except pytest.skip.Exception as skipped:
                missing[backend] = str(skipped)
                continue
            point = (
                databases.point_at_postgres if backend == "postgres" else databases.point_at_mariadb
            )
            for alias in names:
                point(alias, where)
        aliases.update(names)
    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=0, interactive=False, aliases=aliases, serialized_aliases=set()
        )
    yield {backend: missing.get(backend, "") for backend in BACKENDS}
    databases.close_connections()
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture
def unblocked(django_db_blocker: Any) -> Iterator[None]:
    """Database access for the test (pytest-django blocks it otherwise)."""
    with django_db_blocker.unblock():
        yield


def need(django_databases: dict[str, str], backend: str) -> None:
    """Skip the test, with the server's reason, when the backend's databases are missing."""
    if django_databases[backend]:
        pytest.skip(django_databases[backend])
