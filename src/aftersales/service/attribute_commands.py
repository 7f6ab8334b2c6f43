"""The desk's command on a ticket's custom attributes: ``set_attributes``.

:class:`AttributeCommands` is a base of
:class:`~aftersales.service.named_commands.NamedCommands` (so of
:class:`~aftersales.ServiceDesk`): a typed one-line call of
:meth:`ServiceDesk.execute <aftersales.ServiceDesk.execute>`, as the other
named commands are. The values are checked against the store's declarations
(:mod:`aftersales.service.attribute_arguments`). Imports: the domain only.

Example:
    >>> from aftersales import AttributeDefinition, ServiceDesk
    >>> from aftersales.testing.samples import sample_ticket
    >>> desk = ServiceDesk()
    >>> desk.store.declare_attribute(AttributeDefinition(
    ...     "serial_number", "设备序列号", "Serial number", kind="text"))
    >>> desk.store.save(sample_ticket("T1"), expected_version=0)
    >>> dict(desk.set_attributes("T1", by="李工", attributes={"serial_number": "SN-0158"}).attributes)
    {'serial_number': 'SN-0158'}
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from aftersales.model.ticket import Ticket
from aftersales.service.executes import ExecutesCommands

__all__ = ["AttributeCommands"]


class AttributeCommands(ExecutesCommands):
    """``set_attributes`` as a typed desk method.

    Example:
        >>> from aftersales import ServiceDesk
        >>> issubclass(ServiceDesk, AttributeCommands)
        True
    """

    def set_attributes(
        self,
        ticket_id: str,
        *,
        by: str,
        attributes: Mapping[str, Any],
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Set custom attribute values on the ticket (open or closed); ``None`` clears one.

        ``attributes`` maps declared attribute names to values, each checked
        and normalised by its declaration in the desk's store (see
        :meth:`AttributeDefinition.normalised
        <aftersales.model.attributes.AttributeDefinition.normalised>`: a choice
        by code or label, a date as ``YYYY-MM-DD`` …); ``None`` (or ``[]`` for
        a multiple choice) clears the attribute, also one no longer declared
        (a legacy value). Every refused attribute is
        named in one :class:`~aftersales.errors.AttributesRefused` (an
        undeclared name, a value of the wrong kind, a required attribute
        cleared) before the ticket is read; a command that changes nothing is
        refused with :class:`~aftersales.errors.InvalidData`. Status unchanged.

        Example:
            >>> from aftersales import AttributeDefinition, ServiceDesk
            >>> from aftersales.testing.samples import sample_ticket
            >>> desk = ServiceDesk()
            >>> desk.store.declare_attribute(AttributeDefinition(
            ...     "parts", "更换部件", "Parts", kind="multi_choice",
            ...     choices=[("fan", "风扇", "Fan"), ("board", "主板", "Board")]))
            >>> desk.store.save(sample_ticket("T1"), expected_version=0)
            >>> desk.set_attributes("T1", by="李工", attributes={"parts": ["风扇", "board"]}
            ...                     ).attributes["parts"]
            ('board', 'fan')
            >>> dict(desk.set_attributes("T1", by="李工", attributes={"parts": None}).attributes)
            {}
        """
        return self.execute(
            "set_attributes",
            ticket_id,
            {"attributes": attributes},
            by=by,
            at=at,
            expected_version=expected_version,
        )
