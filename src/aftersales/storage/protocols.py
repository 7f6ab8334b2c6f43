"""Deprecated path of the storage ports: use :mod:`aftersales.storage.ports`.

Every name still resolves here for one release, with a
:class:`DeprecationWarning` naming its new place: the store protocols and
``Save`` are in :mod:`aftersales.storage.ports`, ``TicketQuery``, ``Order``
and ``ORDERS`` in :mod:`aftersales.model.query`, and ``product_model_of(ticket)``
is the property :attr:`Ticket.product_model <aftersales.Ticket.product_model>`.

Example:
    >>> import warnings
    >>> from aftersales.storage import ports
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     from aftersales.storage.protocols import TicketStore
    >>> TicketStore is ports.TicketStore
    True
    >>> print(caught[0].message)
    aftersales.storage.protocols.TicketStore is deprecated and will be removed in the next release; use aftersales.storage.ports.TicketStore
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aftersales.model.ticket import Ticket

#: Where each name of this module went (every other name: aftersales.storage.ports).
_QUERY_NAMES = ("ORDERS", "Order", "TicketQuery")


def _product_model_of(ticket: Ticket) -> str | None:
    return ticket.product_model


def moved_name(owner: str, name: str) -> Any:
    """``owner.name`` as it was before the ports moved, with a warning naming the new place.

    ``product_model_of`` is the property ``Ticket.product_model`` now. Raises
    ``AttributeError`` for a name the ports never had.

    Example:
        >>> import warnings
        >>> from aftersales.testing.samples import sample_ticket
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     moved_name("pkg", "product_model_of")(sample_ticket())
        'A型智能办公设备'
        >>> print(caught[0].message)
        pkg.product_model_of is deprecated and will be removed in the next release; use the property Ticket.product_model
    """
    if name == "product_model_of":
        value: Any = _product_model_of
        new = "the property Ticket.product_model"
    else:
        module = "aftersales.model.query" if name in _QUERY_NAMES else "aftersales.storage.ports"
        value = getattr(importlib.import_module(module), name, None)
        if value is None or name.startswith("_"):
            raise AttributeError(f"module {owner!r} has no attribute {name!r}")
        new = f"{module}.{name}"
    warnings.warn(
        f"{owner}.{name} is deprecated and will be removed in the next release; use {new}",
        DeprecationWarning,
        stacklevel=3,
    )
    return value


def __getattr__(name: str) -> Any:
    return moved_name(__name__, name)
