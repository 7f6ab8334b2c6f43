"""Names a module resolves on first use: optional parts, and paths that moved.

Private. A package re-exports an optional part (``PostgresStore`` needs
psycopg) without importing it, and a module that moved keeps its old import
path working for one release with a :class:`DeprecationWarning` naming the new
one. Both are a module-level ``__getattr__`` (PEP 562) built here.

Example:
    >>> getter = lazy_attributes("demo_pkg", {"dumps": "json:dumps"})
    >>> getter("dumps")({"a": 1})
    '{"a": 1}'
    >>> getter("loads")
    Traceback (most recent call last):
    ...
    AttributeError: module 'demo_pkg' has no attribute 'loads'
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_attributes", "moved_module"]


def _load(target: str) -> Any:
    module_name, _, attribute = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


def lazy_attributes(
    module_name: str,
    attributes: Mapping[str, str],
    *,
    deprecated: Mapping[str, str] | None = None,
    instead: Mapping[str, str] | None = None,
) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports each name of ``attributes`` on first use.

    ``attributes`` maps a name to ``"package.module:attribute"`` (or to a module,
    ``"package.module"``). ``deprecated`` maps an old name to where it lives now;
    using it warns with :class:`DeprecationWarning` naming that place, or what
    ``instead`` says to use for that name (when the old value has no new place).

    Example:
        >>> import warnings
        >>> getter = lazy_attributes("old_pkg", {}, deprecated={"loads": "json:loads"})
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     getter("loads")('[1]')
        [1]
        >>> print(caught[0].message)
        old_pkg.loads is deprecated and will be removed in the next release; use json.loads
    """
    moved = dict(deprecated or {})
    advice = dict(instead or {})

    def __getattr__(name: str) -> Any:
        target = attributes.get(name)
        if target is not None:
            return _load(target)
        target = moved.get(name)
        if target is not None:
            new = advice.get(name, target.replace(":", "."))
            warnings.warn(
                f"{module_name}.{name} is deprecated and will be removed in the next release;"
                f" use {new}",
                DeprecationWarning,
                stacklevel=2,
            )
            return _load(target)
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    return __getattr__


def moved_module(old: str, new: str) -> Callable[[str], Any]:
    """The ``__getattr__`` of a module that moved: every name forwards to ``new``, with a warning.

    Example:
        >>> import warnings
        >>> getter = moved_module("old_json", "json")
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     getter("dumps")([1])
        '[1]'
        >>> print(caught[0].message)
        old_json is deprecated and will be removed in the next release; import json.dumps instead
    """

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        module = importlib.import_module(new)
        try:
            value = getattr(module, name)
        except AttributeError:
            raise AttributeError(f"module {old!r} has no attribute {name!r}") from None
        warnings.warn(
            f"{old} is deprecated and will be removed in the next release; import {new}.{name}"
            " instead",
            DeprecationWarning,
            stacklevel=2,
        )
        return value

    return __getattr__
