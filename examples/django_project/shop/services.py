"""How the shop talks to the after-sales desk: its customer as the store's, the desk, the SLA policy."""

from aftersales import Contact, Customer, ServiceDesk
from aftersales.calendar import WorkCalendar
from aftersales.contrib.django import DjangoStore
from aftersales.contrib.django.models import Ticket
from aftersales.sla import SlaPolicy
from shop.models import ShopCustomer


def as_service_customer(customer: ShopCustomer) -> Customer:
    """The shop's customer as the after-sales store keeps it (id ``SHOP-<pk>``)."""
    contact = Contact(
        name=customer.contact_name, phone=customer.phone, email=customer.email or None
    )
    return Customer(id=customer.service_customer_id, name=customer.name, contacts=(contact,))


def mirror_customer(customer: ShopCustomer) -> None:
    """Save the customer into the store (inside the caller's transaction when one is open)."""
    DjangoStore().save_customer(as_service_customer(customer))


def sla_policy() -> SlaPolicy:
    """The shop's SLA policy: the defaults, on a 24×7 calendar in Shanghai."""
    return SlaPolicy.default(WorkCalendar.always("Asia/Shanghai"))


def desk() -> ServiceDesk:
    """A desk on the default database; its writes join the caller's ``transaction.atomic``."""
    return ServiceDesk(DjangoStore(), sla=sla_policy())


def open_tickets_of(customer: ShopCustomer) -> list[str]:
    """The ids of the customer's open tickets, through the store's model (a query on ``tickets``)."""
    rows = Ticket.objects.filter(customer_id=customer.service_customer_id, is_open=True)
    return list(rows.order_by("id").values_list("id", flat=True))
