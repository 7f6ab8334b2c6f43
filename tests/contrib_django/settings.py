"""Django settings of the tests of ``aftersales.contrib.django`` (``DJANGO_SETTINGS_MODULE``).

Three backends: ``default`` (SQLite), ``postgres`` and ``mariadb``, each with
a second alias (``*_other``, another company's database). The servers'
addresses are filled in by the ``django_databases`` fixture once the
throwaway servers run; Django's own apps live only in ``default`` (see
:class:`OnlyOursElsewhere`).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pymysql

pymysql.install_as_MySQLdb()  # Django's MySQL backend on PyMySQL (mysqlclient is not installed)

#: The SQLite files, in memory-backed /dev/shm where there is one: the tests need no fsync.
_FILES = Path(
    tempfile.mkdtemp(
        prefix="aftersales-django-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None
    )
)
atexit.register(shutil.rmtree, _FILES, ignore_errors=True)

SECRET_KEY = "tests-only-not-secret"
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "aftersales.contrib.django",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "tests.contrib_django.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _sqlite(name: str) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(_FILES / f"{name}.db"),
        "TEST": {"NAME": str(_FILES / f"test_{name}.db")},
    }


def _server(engine: str, name: str, **test: str) -> dict[str, Any]:
    """A server's alias; HOST, PORT and USER are set when the server runs."""
    return {"ENGINE": engine, "NAME": name, "TEST": test}


DATABASES = {
    "default": _sqlite("default"),
    "default_other": _sqlite("other"),
    "postgres": _server("django.db.backends.postgresql", "desk"),
    "postgres_other": _server("django.db.backends.postgresql", "desk_other"),
    "mariadb": _server("django.db.backends.mysql", "desk", CHARSET="utf8mb4"),
    "mariadb_other": _server("django.db.backends.mysql", "desk_other", CHARSET="utf8mb4"),
}
DATABASE_ROUTERS = ["tests.contrib_django.settings.OnlyOursElsewhere"]


class OnlyOursElsewhere:
    """Django's own apps in ``default`` only; the store's tables in every database."""

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default" or app_label == "aftersales"
