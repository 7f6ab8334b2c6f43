"""The customer archive built from the stores."""

from __future__ import annotations

from datetime import date

import pendulum
import pytest

from aftersales import Customer, FixedClock, NotFound, ServiceDesk
from aftersales.model import Contact, Product, Purchase
from aftersales.serialization import from_dict, to_dict
from aftersales.service.archive import CustomerArchive, customer_archive
from aftersales.storage import MemoryStore
from aftersales.testing.samples import sample_ticket

TZ = "Asia/Shanghai"


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    store.save_customer(
        Customer(
            id="C202405001",
            name="XX科技有限公司",
            industry="制造业",
            key_account=True,
            contacts=(Contact(name="张先生", phone="13812345678", email="zhang@example.com"),),
        )
    )
    store.save(sample_ticket(), expected_version=0)  # received 2024-05-10, scored 5
    desk = ServiceDesk(store, clock=FixedClock(pendulum.datetime(2024, 6, 3, 9, tz=TZ)))
    printer = Purchase(product=Product("B型打印机"), purchased_on=date(2024, 2, 1))
    desk.open_ticket(
        customer=store.get_customer("C202405001"),
        channel="phone",
        category="usage_guidance",
        description="打印机无法连接无线网络",
        occurred_at=desk.clock.now(),
        by="李工",
        contact=Contact(name="王女士", phone="13900001111", role="IT"),
        purchase=printer,
        ticket_id="T2",
    )
    desk.resolve_on_first_contact("T2", by="李工", answer="指导切换到 2.4G 网络后重新配网")
    desk.record_visit("T2", by="回访专员", resolved=True, score=4, comment="解决了")
    desk.open_ticket(
        customer=store.get_customer("C202405001"),
        channel="email",
        category="consultation",
        description="询问延保价格",
        occurred_at=desk.clock.now(),
        by="李工",
        purchase=printer,
        ticket_id="T3",
    )
    desk.store.save_customer(Customer(id="C-other", name="别的公司"))  # type: ignore[attr-defined]
    return store


def test_archive_lists_purchases_problems_and_satisfaction(store: MemoryStore) -> None:
    archive = customer_archive(store, "C202405001")
    assert (archive.name, archive.industry, archive.key_account) == (
        "XX科技有限公司",
        "制造业",
        True,
    )
    assert [p.ticket_id for p in archive.problems] == ["T202405001", "T2", "T3"]
    assert [p.solution for p in archive.problems] == [
        "保修期内免费上门更换内存模块",
        "指导切换到 2.4G 网络后重新配网",
        None,
    ]
    assert [p.ticket_id for p in archive.open_problems] == ["T3"]
    assert [(p.product.model, p.purchased_on) for p in archive.purchases] == [
        ("B型打印机", date(2024, 2, 1)),  # once, though on two tickets
        ("A型智能办公设备", date(2024, 3, 15)),
    ]
    assert [(s.ticket_id, s.score) for s in archive.satisfaction] == [("T202405001", 5), ("T2", 4)]
    assert archive.mean_satisfaction == 4.5
    assert archive.problems[0].finding is not None


def test_contacts_are_masked_unless_revealed(store: MemoryStore) -> None:
    masked = customer_archive(store, "C202405001").contacts
    assert [(c.name, c.phone, c.email, c.masked) for c in masked] == [
        ("张先生", "138****5678", "z****@example.com", True),
        ("王女士", "139****1111", None, True),
    ]
    full = customer_archive(store, "C202405001", reveal_contacts=True).contacts
    assert [(c.phone, c.masked) for c in full] == [("13812345678", False), ("13900001111", False)]


def test_a_customer_without_tickets_and_a_missing_one(store: MemoryStore) -> None:
    empty = customer_archive(store, "C-other")
    assert (empty.problems, empty.purchases, empty.mean_satisfaction) == ((), (), None)
    with pytest.raises(NotFound):
        customer_archive(store, "C404")


def test_archive_round_trips(store: MemoryStore) -> None:
    archive = customer_archive(store, "C202405001")
    assert from_dict(CustomerArchive, to_dict(archive)) == archive
