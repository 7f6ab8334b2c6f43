"""The desk's commands on a ticket's details: tags, attachment references and the on-site location.

:class:`DetailCommands` is a base of :class:`~aftersales.service.named_commands.NamedCommands`
(so of :class:`~aftersales.ServiceDesk`): each method a typed one-line call
of :meth:`ServiceDesk.execute <aftersales.ServiceDesk.execute>`, as the other
named commands are. None of them changes the ticket's status. Tags are taken
on open and closed tickets, attachments likewise, the location on open ones
(see :mod:`aftersales.model.events.details`). Imports: the domain only.

Example:
    >>> from aftersales import ServiceDesk
    >>> from aftersales.testing.samples import sample_ticket
    >>> desk = ServiceDesk()
    >>> desk.store.save(sample_ticket("T1"), expected_version=0)
    >>> sorted(desk.add_tags("T1", by="李工", tags=["VIP", "返修"]).tags)
    ['vip', '返修']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from aftersales.model.attachments import AttachmentRef
from aftersales.model.location import Location
from aftersales.model.ticket import Ticket
from aftersales.service.executes import ExecutesCommands

__all__ = ["DetailCommands"]


class DetailCommands(ExecutesCommands):
    """Tags, attachments and the location of a ticket as typed desk methods.

    Each takes the ticket's id, ``by=`` (who), its own arguments, ``at=``
    (default: now) and ``expected_version=``.

    Example:
        >>> from aftersales import ServiceDesk
        >>> issubclass(ServiceDesk, DetailCommands)
        True
    """

    def add_tags(
        self,
        ticket_id: str,
        *,
        by: str,
        tags: Iterable[str],
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Put ``tags`` on the ticket (open or closed); status unchanged.

        Tags are taken in their normal form (:mod:`aftersales.model.tags`:
        ``"VIP"`` is ``"vip"``); those the ticket already has are left out of
        the event, and when it has them all the command is refused with
        :class:`~aftersales.errors.InvalidTag`, as is a bad tag (every one
        named) or a ticket that would hold more than 50 tags.

        Example:
            >>> from aftersales import ServiceDesk
            >>> from aftersales.testing.samples import sample_ticket
            >>> desk = ServiceDesk()
            >>> desk.store.save(sample_ticket("T1"), expected_version=0)
            >>> _ = desk.add_tags("T1", by="李工", tags=["vip"])
            >>> desk.add_tags("T1", by="李工", tags=["VIP", "上门"]).history[-1].tags
            ('上门',)
        """
        return self.execute(
            "add_tags",
            ticket_id,
            {"tags": tags},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def remove_tags(
        self,
        ticket_id: str,
        *,
        by: str,
        tags: Iterable[str],
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Take ``tags`` off the ticket (open or closed); status unchanged.

        Tags the ticket does not have are left out of the event; when it has
        none of them the command is refused with :class:`~aftersales.errors.InvalidTag`.

        Example:
            >>> from aftersales import ServiceDesk
            >>> from aftersales.testing.samples import sample_ticket
            >>> desk = ServiceDesk()
            >>> desk.store.save(sample_ticket("T1"), expected_version=0)
            >>> _ = desk.add_tags("T1", by="李工", tags=["vip", "返修"])
            >>> sorted(desk.remove_tags("T1", by="李工", tags=["返修", "urgent"]).tags)
            ['vip']
        """
        return self.execute(
            "remove_tags",
            ticket_id,
            {"tags": tags},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def attach(
        self,
        ticket_id: str,
        *,
        by: str,
        attachment: AttachmentRef | Mapping[str, Any],
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Attach a file to the ticket by reference (the host stores the file); status unchanged.

        ``attachment`` is an :class:`~aftersales.model.attachments.AttachmentRef`
        or its JSON form. A file whose SHA-256 digest is already attached is
        refused (detach the old reference first).

        Example:
            >>> import pendulum
            >>> from aftersales import ServiceDesk
            >>> from aftersales.testing.samples import sample_ticket
            >>> desk = ServiceDesk()
            >>> desk.store.save(sample_ticket("T1"), expected_version=0)
            >>> ticket = desk.attach("T1", by="李工", attachment={
            ...     "uri": "s3://after-sales/T1/签收单.pdf", "name": "签收单.pdf",
            ...     "media_type": "application/pdf", "size": 81_920, "sha256": "ab" * 32,
            ...     "attached_by": "李工", "attached_at": "2024-05-14T10:00:00+08:00"})
            >>> ticket.attachments[0].name, ticket.status.value
            ('签收单.pdf', 'closed')
        """
        return self.execute(
            "attach",
            ticket_id,
            {"attachment": attachment},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def detach(
        self,
        ticket_id: str,
        *,
        by: str,
        sha256: str,
        reason: str = "",
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Take the reference to an attached file off the ticket, named by its SHA-256 digest.

        A digest not attached to the ticket raises
        :class:`~aftersales.errors.UnknownValue` listing those that are.
        The history keeps the reference that was attached (events are never
        rewritten); the ticket no longer lists it.
        """
        return self.execute(
            "detach",
            ticket_id,
            {"sha256": sha256, "reason": reason},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def set_location(
        self,
        ticket_id: str,
        *,
        by: str,
        location: Location | Mapping[str, Any] | None,
        reason: str = "",
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Say where service is given on site (an open ticket), or ``None``: not on site any more.

        ``location`` is a :class:`~aftersales.model.location.Location` or its
        JSON form; the one the ticket already has is refused.

        Example:
            >>> from aftersales import ServiceDesk
            >>> from aftersales.testing.samples import sample_ticket
            >>> desk = ServiceDesk()
            >>> desk.store.save(sample_ticket("T1"), expected_version=0)
            >>> _ = desk.reopen("T1", by="李工", reason="问题复现")
            >>> place = Location("天河路385号", "广州市天河区")
            >>> desk.set_location("T1", by="李工", location=place).location.region
            '广州市天河区'
        """
        return self.execute(
            "set_location",
            ticket_id,
            {"location": location, "reason": reason},
            by=by,
            at=at,
            expected_version=expected_version,
        )
