"""A ticket history decoded on first read: what a store's streaming read hands out.

A store that streams many tickets builds each one from its stored snapshot
and may leave the events of its history undecoded: the ticket's ``history``
slot then holds a :class:`PendingHistory`, and the first read of
``ticket.history`` (by the caller, or by anything that reads it: equality,
hashing, pickling, ``attrs.evolve``, the views such as ``ticket.visits``)
decodes the events and keeps the tuple in the slot. Nothing else can tell the
difference: ``ticket.history`` is always a tuple. A history that cannot be
decoded raises the store's error on that read (and on each later one).

:func:`read_on_first_use` installs this on a slotted attrs class's field;
:mod:`aftersales.model.ticket` installs it on ``Ticket.history``. Imports:
nothing of the model.

Example:
    >>> import attrs
    >>> @attrs.frozen(slots=True)
    ... class Box:
    ...     items: tuple[int, ...]
    >>> read_on_first_use(Box, "items")
    >>> box = Box(PendingHistory(lambda: (1, 2, 3)))
    >>> box.items, box == Box((1, 2, 3))
    ((1, 2, 3), True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["PendingHistory", "read_on_first_use"]


class PendingHistory:
    """Events not decoded yet: ``load()`` decodes them into the tuple the slot then keeps.

    Example:
        >>> PendingHistory(lambda: ()).load()
        ()
    """

    __slots__ = ("load",)

    def __init__(self, load: Callable[[], tuple[Any, ...]]) -> None:
        self.load = load

    def __repr__(self) -> str:
        return "PendingHistory(<not decoded yet>)"


class _DecodedOnFirstRead:
    """A slot's descriptor that replaces a :class:`PendingHistory` by its events when read."""

    __slots__ = ("__name__", "__objclass__", "_delete", "_get", "_set")

    def __init__(self, owner: type, name: str) -> None:
        member = owner.__dict__[name]
        self._get = member.__get__
        self._set = member.__set__
        self._delete = member.__delete__
        self.__name__ = name
        self.__objclass__ = owner

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = self._get(instance, owner)
        if value.__class__ is PendingHistory:
            value = value.load()
            self._set(instance, value)
        return value

    def __set__(self, instance: object, value: Any) -> None:
        self._set(instance, value)

    def __delete__(self, instance: object) -> None:
        self._delete(instance)


def read_on_first_use(cls: type, name: str) -> None:
    """Let the slot ``name`` of ``cls`` hold a :class:`PendingHistory`, decoded when first read.

    ``cls`` must be a slotted class that defines the slot itself.

    Example:
        >>> from aftersales.model.ticket import Ticket
        >>> type(vars(Ticket)["history"]).__name__
        '_DecodedOnFirstRead'
    """
    setattr(cls, name, _DecodedOnFirstRead(cls, name))
