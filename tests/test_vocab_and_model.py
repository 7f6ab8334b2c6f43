"""Vocabulary, contact masking, warranty and the other value types."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    Channel,
    CloseStatus,
    Contact,
    Customer,
    Demand,
    InvalidData,
    Priority,
    ProblemCategory,
    Product,
    Purchase,
    RootCauseCategory,
    TicketStatus,
    UnknownValue,
)
from aftersales.model.customer import mask_email, mask_phone
from aftersales.testing.strategies import purchases

# Labels written from DESIGN.md / DOMAIN.md, not read back from the code.
STATUS_LABELS = {
    "RECEIVED": "已受理",
    "ANALYSING": "分析中",
    "AWAITING_CONFIRMATION": "待客户确认",
    "IN_PROGRESS": "执行中",
    "AWAITING_VISIT": "待回访",
    "CLOSED": "已关闭",
    "CANCELLED": "已取消",
}


def test_closed_vocabularies_have_the_documented_chinese_labels() -> None:
    assert {s.name: s.label_zh for s in TicketStatus} == STATUS_LABELS
    assert [p.label_zh for p in Priority] == ["紧急", "重要", "一般"]
    assert [c.label_zh for c in CloseStatus] == ["已关闭", "处理中", "需升级"]


def test_priority_orders_by_urgency_not_alphabet() -> None:
    assert Priority.URGENT > Priority.IMPORTANT > Priority.GENERAL
    assert max(Priority) is Priority.URGENT
    assert sorted(Priority, reverse=True) == [Priority.URGENT, Priority.IMPORTANT, Priority.GENERAL]


def test_closed_vocabularies_parse_value_name_or_label_and_refuse_the_rest() -> None:
    assert Priority.parse("urgent") is Priority.parse("URGENT") is Priority.parse("紧急")
    with pytest.raises(UnknownValue) as raised:
        TicketStatus.parse("open")
    assert "received" in raised.value.accepted
    assert TicketStatus.CLOSED.label("en") == "closed"
    with pytest.raises(UnknownValue):
        TicketStatus.CLOSED.label("fr")


def test_open_vocabularies_ship_the_documented_defaults() -> None:
    assert len(Channel.members()) >= 11
    assert {c.code for c in ProblemCategory.members()} >= {
        "product_quality",
        "usage_guidance",
        "logistics_delay",
        "service_attitude",
        "aftersales_process",
        "consultation",
    }
    assert {d.label_zh for d in Demand.members()} >= {"维修", "更换", "退款", "退换货", "补偿"}
    assert RootCauseCategory.get("operation_error").label_zh == "操作失误"


def test_registering_is_idempotent_and_refuses_conflicts_and_bad_codes() -> None:
    # process-wide: names no store contract uses, so test order does not matter
    first = ProblemCategory.register("box_dent", "Box dent", "外箱压痕")
    assert ProblemCategory.register("box_dent", "Box dent", "外箱压痕") is first
    assert ProblemCategory.get("外箱压痕") is first
    with pytest.raises(InvalidData, match="already registered"):
        ProblemCategory.register("box_dent", "Box damage", "外箱压痕")
    with pytest.raises(InvalidData) as raised:
        ProblemCategory.register("Bad Code!", "", "x")
    assert {path for path, _ in raised.value.problems} == {"code", "label_en"}
    assert not Channel.is_registered(first)


def test_a_term_built_by_hand_is_not_accepted_on_a_ticket() -> None:
    forged = Channel("fax", "Fax", "传真")
    with pytest.raises(UnknownValue):
        Channel.get(forged)


PHONES = st.from_regex(r"\A1[3-9][0-9]{9}\Z")


@given(PHONES)
def test_masked_mobile_keeps_first_three_and_last_four_digits(phone: str) -> None:
    masked = Contact(name="张先生", phone=phone).masked().phone
    assert masked == phone[:3] + "****" + phone[-4:]


def test_masking_matches_the_template_example() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("138 1234 5678") == "138****5678"
    assert mask_email("zhang.san@example.com") == "z********@example.com"


@given(st.from_regex(r"\A[a-z][a-z0-9.]{0,15}@[a-z]{2,10}\.(com|cn)\Z"))
def test_masked_email_hides_all_but_the_first_character(email: str) -> None:
    masked = Contact(name="李工", email=email).masked().email
    local, domain = email.split("@")
    assert masked is not None
    first = local[0] if len(local) > 1 else "*"  # a one-letter local part is hidden whole
    assert masked == first + "*" * (len(local) - 1) + "@" + domain
    assert len(masked) == len(email)


def test_contact_refuses_bad_phone_email_and_masked_values() -> None:
    with pytest.raises(InvalidData) as raised:
        Contact(name=" ", phone="call me", email="nobody")
    assert {p for p, _ in raised.value.problems} == {"name", "phone", "email"}
    with pytest.raises(InvalidData, match="phone"):
        Contact(name="张", phone="138****5678")


def test_customer_ids_and_contacts_are_checked() -> None:
    customer = Customer(id="C202405001", name="XX科技有限公司", contacts=[Contact(name="张")])
    assert isinstance(customer.contacts, tuple)
    assert customer.primary_contact == Contact(name="张")
    with pytest.raises(InvalidData, match="id"):
        Customer(id="C 2024", name="x")


def _add_months(day: date, months: int) -> date:
    """Reference month arithmetic, clamping to the month's end."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in range(day.day, 0, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@given(purchases(), st.integers(-400, 4000))
def test_warranty_covers_exactly_the_period(purchase: Purchase, offset: int) -> None:
    ends = _add_months(purchase.purchased_on, purchase.warranty_months + purchase.extended_months)
    assert purchase.warranty_ends_on == ends
    day = purchase.purchased_on + timedelta(days=offset)
    assert purchase.in_warranty(day) == (day < ends and ends > purchase.purchased_on)
    if purchase.purchased_on <= day:
        assert purchase.days_left(day) == max(0, (ends - day).days)


def test_warranty_with_an_aware_datetime_uses_its_local_date() -> None:
    purchase = Purchase(product=Product("A型"), purchased_on=date(2024, 3, 15), warranty_months=12)
    last_moment = pendulum.datetime(2025, 3, 14, 23, 30, tz="Asia/Shanghai")
    assert purchase.in_warranty(last_moment)
    assert not purchase.in_warranty(last_moment.add(hours=1))
    with pytest.raises(InvalidData):
        purchase.in_warranty(datetime(2025, 3, 14, 12, 0))


def test_purchase_refuses_bad_values_together() -> None:
    with pytest.raises(InvalidData) as raised:
        Purchase(
            product=Product("A型"),
            purchased_on=datetime(2024, 3, 15),  # type: ignore[arg-type]
            warranty_months=-1,
        )
    assert {p for p, _ in raised.value.problems} == {"purchased_on", "warranty_months"}
    assert re.search(r"date", str(raised.value))
