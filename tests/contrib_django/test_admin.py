"""The admin pages through Django's test client, as a superuser: tickets and customers, contacts masked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pendulum
import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import Channel, Contact, Customer, ProblemCategory, ServiceDesk
from aftersales.calendar import WorkCalendar
from aftersales.contrib.django import DjangoStore
from aftersales.contrib.django.models import Ticket as TicketRow
from aftersales.errors import InvalidData
from aftersales.sla import SlaPolicy
from aftersales.time import FixedClock
from tests.contrib_django import databases

_AT = pendulum.datetime(2025, 3, 4, 9, 30, tz="Asia/Shanghai")
#: Mainland mobile numbers: what the desk records most.
_PHONES = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


def masked(phone: str) -> str:
    """The default masking as documented: the first three and the last four digits."""
    return f"{phone[:3]}****{phone[-4:]}"


def always_policy() -> SlaPolicy:
    """The SLA policy of ``AFTERSALES_SLA_POLICY`` in these tests: 24×7 in Shanghai."""
    return SlaPolicy.default(WorkCalendar.always("Asia/Shanghai"))


@pytest.fixture(scope="module")
def superuser_client(django_databases: Any, django_db_blocker: Any) -> Iterator[Client]:
    """A client logged in as a superuser of the ``default`` database."""
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
        client = Client()
        client.force_login(user)
        yield client
        user.delete()


def _open(phone: str, ticket_id: str = "T2025001") -> None:
    """A ticket of customer C1 whose contact (and whose words) carry ``phone``, acknowledged."""
    databases.reset_unless_current("default")
    databases.empty("default")
    store = DjangoStore("default")
    contact = Contact(name="张先生", phone=phone)
    customer = Customer(id="C1", name="XX科技有限公司", contacts=(contact,))
    store.save_customer(customer)
    desk = ServiceDesk(store, clock=FixedClock(_AT))
    desk.open_ticket(
        customer=customer,
        channel=Channel.PHONE,
        category=ProblemCategory.PRODUCT_QUALITY,
        description="设备开机后频繁死机",
        customer_words=f"请打{phone}联系我",
        occurred_at=_AT.subtract(hours=2),
        by="前台小王",
        contact=contact,
        ticket_id=ticket_id,
    )
    desk.acknowledge(ticket_id, by="李工")


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(phone=_PHONES)
def test_ticket_list_and_page_show_the_phone_masked(
    superuser_client: Client, unblocked: None, phone: str
) -> None:
    _open(phone)
    pages = {
        "list": superuser_client.get("/admin/aftersales/ticket/"),
        "page": superuser_client.get("/admin/aftersales/ticket/T2025001/change/"),
        "search": superuser_client.get("/admin/aftersales/ticket/", {"q": "C1"}),
        "customers": superuser_client.get("/admin/aftersales/customer/"),
        "customer": superuser_client.get("/admin/aftersales/customer/C1/change/"),
    }
    for name, response in pages.items():
        text = response.content.decode()
        assert response.status_code == 200, name
        assert phone not in text, name
        assert masked(phone) in text, name
    assert "T2025001" in pages["list"].content.decode()
    assert "T2025001" in pages["search"].content.decode()
    page = pages["page"].content.decode()
    assert "ticket_opened" in page
    assert "acknowledged" in page
    assert "李工" in page


def test_the_list_filters_by_status_and_searches_by_id(
    superuser_client: Client, unblocked: None
) -> None:
    _open("13812345678", "T1")
    store = DjangoStore("default")
    desk = ServiceDesk(store, clock=FixedClock(_AT))
    desk.open_ticket(
        customer=Customer(id="C2", name="YY公司"),
        channel=Channel.PHONE,
        category=ProblemCategory.PRODUCT_QUALITY,
        description="漏水",
        occurred_at=_AT.subtract(hours=1),
        by="前台小王",
        ticket_id="T2",
    )
    received = superuser_client.get("/admin/aftersales/ticket/", {"status__exact": "received"})
    analysing = superuser_client.get("/admin/aftersales/ticket/", {"status__exact": "analysing"})
    by_id = superuser_client.get("/admin/aftersales/ticket/", {"q": "T2"})
    assert _ids(received) == ["T2"]
    assert _ids(analysing) == ["T1"]
    assert _ids(by_id) == ["T2"]


def test_pages_are_read_only(superuser_client: Client, unblocked: None) -> None:
    _open("13812345678", "T1")
    assert superuser_client.get("/admin/aftersales/ticket/add/").status_code == 403
    assert superuser_client.post("/admin/aftersales/ticket/T1/delete/").status_code == 403
    changed = superuser_client.post("/admin/aftersales/ticket/T1/change/", {"status": "closed"})
    assert changed.status_code == 403
    assert DjangoStore("default").get("T1").status.value == "analysing"
    row = TicketRow.objects.get(pk="T1")
    with pytest.raises(InvalidData, match="rows are written by the store"):
        row.save()


@override_settings(AFTERSALES_SLA_POLICY="tests.contrib_django.test_admin.always_policy")
def test_a_ticket_page_shows_its_sla_state(superuser_client: Client, unblocked: None) -> None:
    _open("13812345678", "T1")
    page = superuser_client.get("/admin/aftersales/ticket/T1/change/").content.decode()
    assert "first_response" in page
    assert "resolution" in page


def _ids(response: Any) -> list[str]:
    return sorted(row.pk for row in response.context["cl"].result_list)
