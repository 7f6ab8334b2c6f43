"""Read-only admin pages: tickets (with their history and SLA state) and customers, contacts masked.

Writes go through the desk's commands, so the pages add, change and delete
nothing. A ticket's list row and page show its contact masked
(``138****5678``), its history is :func:`~aftersales.views.history_view`
(every phone or e-mail in a free text masked too) and its SLA state is what
the read model keeps (the earliest due time, the next and first alert); with
``AFTERSALES_SLA_POLICY`` in the settings (the dotted path of a callable
returning an :class:`~aftersales.sla.SlaPolicy`), each metric is evaluated
now as well. The raw ``snapshot`` and ``data`` columns are never shown.

Example (needs the app installed; ``tests/contrib_django/test_admin.py`` renders the pages)::

    # urls.py
    urlpatterns = [path("admin/", admin.site.urls)]
    # /admin/aftersales/ticket/?status__exact=received&q=C202405001
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pendulum
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from aftersales.contrib.django.models import Customer, Ticket
from aftersales.contrib.django.store import DjangoStore
from aftersales.model.customer import MaskedContact
from aftersales.model.ticket import Ticket as DomainTicket
from aftersales.views.tickets import history_view

__all__ = ["CustomerAdmin", "TicketAdmin", "shown_contact"]

_EMPTY = "—"


def shown_contact(contact: MaskedContact | None) -> str:
    """A masked contact in one line: name, phone, e-mail.

    Example:
        >>> from aftersales.model.customer import Contact
        >>> shown_contact(Contact(name="张先生", phone="13812345678").masked())
        '张先生 138****5678'
        >>> shown_contact(None)
        '—'
    """
    if contact is None:
        return _EMPTY
    return " ".join(part for part in (contact.name, contact.phone, contact.email) if part)


class _ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Nothing added, changed or deleted: the store writes the rows."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(_ReadOnlyAdmin):
    """Tickets: filtered by status, priority and type, searched by id and customer id.

    Example:
        >>> TicketAdmin.list_filter
        ('status', 'priority', 'ticket_type')
    """

    list_display = (
        "id",
        "status",
        "priority",
        "ticket_type",
        "customer_id",
        "contact",
        "assignee",
        "received_at",
        "due_at",
    )
    list_filter = ("status", "priority", "ticket_type")
    search_fields = ("=id", "=customer_id")
    fields = (
        "id",
        "version",
        "status",
        "substatus",
        "priority",
        "ticket_type",
        "channel",
        "category",
        "customer_id",
        "contact",
        "assignee",
        "product_model",
        "received_at",
        "updated_at",
        "sla_state",
        "history",
    )
    readonly_fields = fields

    @admin.display(description="contact 联系人")
    def contact(self, obj: Ticket) -> str:
        return shown_contact(obj.contact_masked())

    @admin.display(description="SLA")
    def sla_state(self, obj: Ticket) -> SafeString:
        rows: list[tuple[str, str, str]] = [
            ("due (read model)", "", _time(obj.due_at)),
            ("next alert (read model)", "", _time(obj.next_alert_at)),
            ("first alert (read model)", "", _time(obj.first_alert_at)),
        ]
        path = getattr(settings, "AFTERSALES_SLA_POLICY", None)
        if path:
            report = import_string(path)().evaluate(_ticket(obj), pendulum.now("UTC"))
            rows += [(result.metric, result.state.value, _time(result.due_at)) for result in report]
        return _table(("metric", "state", "due"), rows)

    @admin.display(description="history 处理记录")
    def history(self, obj: Ticket) -> SafeString:
        rows = []
        for view in history_view(_ticket(obj)):
            seq, at, by, kind = (view.pop(key, "") for key in ("seq", "at", "by", "type"))
            rows.append((str(seq), str(at), f"{by} {kind}", json.dumps(view, ensure_ascii=False)))
        return _table(("seq", "at", "by, event", "data (masked)"), rows)


@admin.register(Customer)
class CustomerAdmin(_ReadOnlyAdmin):
    """Customers: searched by id and name; their contacts masked.

    Example:
        >>> CustomerAdmin.search_fields
        ('=id', 'name')
    """

    list_display = ("id", "name", "contacts")
    search_fields = ("=id", "name")
    fields = ("id", "name", "contacts")
    readonly_fields = fields

    @admin.display(description="contacts 联系人")
    def contacts(self, obj: Customer) -> str:
        return "; ".join(shown_contact(contact) for contact in obj.contacts_masked()) or _EMPTY


def _ticket(obj: Ticket) -> DomainTicket:
    """The ticket of the row, read once per page through the store of the row's database."""
    found: DomainTicket | None = getattr(obj, "_domain_ticket", None)
    if found is None:
        found = DjangoStore(using=obj._state.db or "default").get(obj.id)
        obj._domain_ticket = found  # type: ignore[attr-defined]
    return found


def _time(value: Any) -> str:
    return _EMPTY if value is None else pendulum.instance(value).in_timezone("UTC").isoformat()


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> SafeString:
    head = format_html_join("", "<th>{}</th>", ((header,) for header in headers))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((c,) for c in row)),) for row in rows),
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)
