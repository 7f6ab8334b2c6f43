"""The Django app: a store on Django's database connection, models over its tables, an admin.

Add ``"aftersales.contrib.django"`` to ``INSTALLED_APPS`` (its app label is
``aftersales``) and run ``manage.py migrate``: the migration brings the
store's tables up to date through the library's own schema steps. Then
``DjangoStore(using="default")`` is a :class:`~aftersales.storage.FullStore`
whose writes join the caller's ``transaction.atomic`` block. The admin lists
tickets and customers read-only, contacts masked. See ``docs/django.md``.

Needs the ``django`` extra (``pip install "aftersales[django]"``); Django is
imported only when :class:`DjangoStore` is first used.

Example:
    >>> import aftersales.contrib.django as app
    >>> app.__all__
    ['DjangoStore']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aftersales._lazy import lazy_attributes

if TYPE_CHECKING:
    from aftersales.contrib.django.store import DjangoStore

__all__ = ["DjangoStore"]

__getattr__ = lazy_attributes(
    __name__, {"DjangoStore": "aftersales.contrib.django.store:DjangoStore"}
)
