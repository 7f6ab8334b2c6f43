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

from typing import TYPE_CHECKING

from aftersales._lazy import lazy_attributes
from aftersales.storage import ports as _ports

if TYPE_CHECKING:
    from aftersales.model.ticket import Ticket

#: The names that went to :mod:`aftersales.model.query`.
_QUERY = ("ORDERS", "Order", "TicketQuery")


def _product_model_of(ticket: Ticket) -> str | None:
    """The deprecated ``product_model_of(ticket)``: ``ticket.product_model``."""
    return ticket.product_model


__getattr__ = lazy_attributes(
    __name__,
    {},
    deprecated={
        **{name: f"aftersales.storage.ports:{name}" for name in _ports.__all__},
        **{name: f"aftersales.model.query:{name}" for name in _QUERY},
        "product_model_of": "aftersales.storage.protocols:_product_model_of",
    },
    instead={"product_model_of": "the property Ticket.product_model"},
)
