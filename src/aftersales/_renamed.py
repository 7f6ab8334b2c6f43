"""Keyword arguments that were renamed: the old keyword keeps working for one release.

Private. :func:`renamed_keywords` wraps a function or method whose parameters
were renamed (``now`` → ``at``): a call with an old keyword is passed on
under the new one with a :class:`DeprecationWarning` naming both; a call with
both raises :class:`~aftersales.errors.InvalidData` naming them, before the
function runs. Positional calls are unchanged, as the position stays.

Example:
    >>> import warnings
    >>> @renamed_keywords(now="at")
    ... def due(at):
    ...     return at
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     due(now=3)
    3
    >>> print(caught[0].message)
    due(now=...) is deprecated and will be removed in the next release; use due(at=...)
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from aftersales.errors import InvalidData

__all__ = ["renamed_attribute", "renamed_keywords"]

P = ParamSpec("P")
R = TypeVar("R")


def renamed_keywords(**renamed: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A decorator mapping each old keyword (``renamed``'s keys) to its new name, with a warning.

    The warning names the callable by its qualified name (``SlaPolicy.evaluate``).

    Example:
        >>> @renamed_keywords(moment="at")
        ... def contains(at):
        ...     return at > 0
        >>> contains(1), contains(at=1)
        (True, True)
        >>> contains(moment=1, at=1)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: moment: given with at, its new name; accepted: at alone
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        name = function.__qualname__.replace(".__init__", "")

        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if not kwargs or renamed.keys().isdisjoint(kwargs):
                return function(*args, **kwargs)
            for old, new in renamed.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    message = f"given with {new}, its new name; accepted: {new} alone"
                    raise InvalidData(f"{old}: {message}", problems=[(old, message)])
                warnings.warn(
                    f"{name}({old}=...) is deprecated and will be removed in the next release;"
                    f" use {name}({new}=...)",
                    DeprecationWarning,
                    stacklevel=2,
                )
                kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)

        return wrapper

    return decorate


class renamed_attribute:
    """An attribute (or method) under its old name: gives attribute ``new``, with a warning.

    Read on an instance, it warns with :class:`DeprecationWarning` naming the
    instance's class, the old and the new name, and returns the new
    attribute, passed through ``adapt`` when given (for an old method whose
    call differs: ``adapt(new_method)`` is the old method, and ``instead`` how
    the warning shows the new call). Where the instance
    has no attribute ``new``, the old name is missing too (``AttributeError``,
    no warning), so a mixin of old names can serve classes that provide only
    some of the new ones.

    Example:
        >>> import warnings
        >>> class Figures:
        ...     at = 5
        ...     as_of = renamed_attribute("at")
        ...     twice = renamed_attribute("at", adapt=lambda at: 2 * at)
        ...     missing = renamed_attribute("nowhere")
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     Figures().as_of, Figures().twice
        (5, 10)
        >>> print(caught[0].message)
        Figures.as_of is deprecated and will be removed in the next release; use Figures.at
        >>> hasattr(Figures(), "missing")
        False
    """

    def __init__(
        self, new: str, *, adapt: Callable[[Any], Any] | None = None, instead: str = ""
    ) -> None:
        self.new = new
        self.old = ""
        self.adapt = adapt
        self.instead = instead or new
        self.__doc__ = f"Deprecated: use ``{new}``."

    def __set_name__(self, owner: type, name: str) -> None:
        self.old = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        kind = type(instance).__name__
        try:
            value = getattr(instance, self.new)
        except AttributeError:
            raise AttributeError(f"{kind!r} object has no attribute {self.old!r}") from None
        warnings.warn(
            f"{kind}.{self.old} is deprecated and will be removed in the next release;"
            f" use {kind}.{self.instead}",
            DeprecationWarning,
            stacklevel=2,
        )
        return value if self.adapt is None else self.adapt(value)
