"""Django models over the store's tables, for reading (the admin, the host's own queries).

The tables belong to the store: its schema steps make and change them
(``manage.py migrate`` runs them, see the app's migration), so the models
are ``managed = False`` and Django never issues DDL for them. Rows are
written only through the store (a desk's commands), which keeps a ticket's
row, its events and its read model in step; saving a model instance raises
:class:`~aftersales.InvalidData`.

``Ticket.snapshot`` and ``Customer.data`` hold contacts unmasked: show
:meth:`Ticket.contact_masked` and :meth:`Customer.contacts_masked` instead.

Example (needs the app installed; ``tests/contrib_django`` runs it)::

    from aftersales.contrib.django.models import Ticket
    Ticket.objects.filter(status="received", priority="urgent").count()
"""

from __future__ import annotations

from typing import Any

from django.db import models

from aftersales.contrib.django.fields import StoredTime
from aftersales.errors import InvalidData
from aftersales.model.customer import Contact, MaskedContact
from aftersales.model.customer import Customer as DomainCustomer
from aftersales.serialization import converter, from_dict, parse_json
from aftersales.vocab import Priority, TicketStatus

__all__ = ["Customer", "Ticket"]

_STATUSES = [(status.value, f"{status.label_zh} {status.value}") for status in TicketStatus]
_PRIORITIES = [(level.value, f"{level.label_zh} {level.value}") for level in Priority]


class _ReadOnly(models.Model):
    """A row the store writes: saving or deleting it through Django is refused."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise InvalidData(
            f"{type(self).__name__} {self.pk!r}: rows are written by the store;"
            " accepted: the desk's commands or DjangoStore"
        )

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise InvalidData(
            f"{type(self).__name__} {self.pk!r}: rows are deleted by the store only;"
            " accepted: the desk's commands (cancel, close) or DjangoStore"
        )


class Customer(_ReadOnly):
    """A row of ``customers``: the id, the name, the rest in ``data``.

    Example (needs the app installed)::

        Customer.objects.get(pk="C1").contacts_masked()
        # → [MaskedContact(name='张先生', phone='138****5678', email=None, role=None)]
    """

    id: models.TextField[str, str] = models.TextField(primary_key=True)
    name: models.TextField[str, str] = models.TextField()
    data: models.TextField[str, str] = models.TextField()

    class Meta:
        managed = False
        db_table = "customers"
        app_label = "aftersales"
        ordering = ("id",)
        verbose_name = "customer 客户"

    def __str__(self) -> str:
        return f"{self.id} {self.name}"

    def contacts_masked(self) -> list[MaskedContact]:
        """The customer's contacts, phone and e-mail masked."""
        customer = from_dict(DomainCustomer, parse_json(self.data))
        return [contact.masked() for contact in customer.contacts]


class Ticket(_ReadOnly):
    """A row of ``tickets``: the columns the worklists filter on, the rest in ``snapshot``.

    Example (needs the app installed)::

        Ticket.objects.filter(is_open=True).order_by("due_at")[:20]
    """

    id: models.TextField[str, str] = models.TextField(primary_key=True)
    version: models.IntegerField[int, int] = models.IntegerField()
    status: models.TextField[str, str] = models.TextField(choices=_STATUSES)
    priority: models.TextField[str, str] = models.TextField(choices=_PRIORITIES)
    customer_id: models.TextField[str, str] = models.TextField("customer id")
    assignee: models.TextField[str | None, str | None] = models.TextField(null=True)
    channel: models.TextField[str, str] = models.TextField()
    category: models.TextField[str, str] = models.TextField()
    product_model: models.TextField[str | None, str | None] = models.TextField(null=True)
    is_open: models.BooleanField[bool, bool] = models.BooleanField()
    received_at = StoredTime()
    updated_at = StoredTime()
    due_at = StoredTime(null=True)
    snapshot: models.TextField[str | None, str | None] = models.TextField(null=True)
    next_alert_at = StoredTime(null=True)
    first_alert_at = StoredTime(null=True)
    substatus: models.TextField[str | None, str | None] = models.TextField(null=True)
    ticket_type: models.TextField[str | None, str | None] = models.TextField("type", null=True)

    class Meta:
        managed = False
        db_table = "tickets"
        app_label = "aftersales"
        ordering = ("-received_at", "id")
        verbose_name = "ticket 工单"

    def __str__(self) -> str:
        return str(self.id)

    def contact_masked(self) -> MaskedContact | None:
        """The ticket's contact from its snapshot, phone and e-mail masked."""
        if not self.snapshot:
            return None
        contact = parse_json(self.snapshot).get("contact")
        return None if contact is None else converter.structure(contact, Contact).masked()
