"""A DjangoStore in a writer process of the reliability tests: Django configured for one MariaDB database."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


def django_store(url: str) -> Any:
    """Configure Django with ``url`` (``mysql://user@localhost/db?unix_socket=…``) as ``default``."""
    import django
    import pymysql
    from django.conf import settings

    pymysql.install_as_MySQLdb()
    parts = urlsplit(url)
    settings.configure(
        USE_TZ=True,
        INSTALLED_APPS=["aftersales.contrib.django"],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.mysql",
                "NAME": parts.path.lstrip("/"),
                "USER": parts.username or "root",
                "HOST": unquote(parse_qs(parts.query)["unix_socket"][0]),
            }
        },
    )
    django.setup()
    from aftersales.contrib.django import DjangoStore

    return DjangoStore()
