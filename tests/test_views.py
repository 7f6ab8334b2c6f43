"""Public JSON views: plain JSON, stable field names, contacts masked unless a recorded grant."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import AccessDenied, InvalidData, WorkCalendar
from aftersales.model import Contact
from aftersales.model.events import ContactRevealed, ImprovementSuggested, TicketOpened
from aftersales.reports import daily, monthly, weekly
from aftersales.service.contact_access import contact_reveal
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import tickets
from aftersales.views import (
    AccessDecision,
    AllowedViewers,
    event_view,
    history_view,
    report_view,
    ticket_view,
)

#: The documented field names of a ticket view (docs/json.md), in order.
TICKET_VIEW_FIELDS = [
    "id", "version", "status", "substatus", "customer_id", "customer_name", "contact", "purchase",
    "channel", "category", "ticket_type", "demands", "priority", "priority_level", "description",
    "impact",
    "customer_words",
    "occurred_at", "received_at", "handler", "assignee", "escalation_level",
    "first_response_at", "first_resolved_at", "resolved_at", "closed_at", "cancelled_at",
    "reopen_count", "resolved_on_first_contact", "updated_at",
    "tags", "attachments", "location",
    "attributes",
    "close_status", "allowed_commands", "contact_masked", "substatus_label_zh",
    "substatus_label_en", "priority_label_zh", "priority_label_en",
    "attributes_shown",
]  # fmt: skip


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    return value is None or type(value) in (str, int, float, bool)


def _raw_details(ticket: Any) -> set[str]:
    return {
        detail
        for event in ticket.history
        if isinstance(event, TicketOpened) and event.contact is not None
        for detail in (event.contact.phone, event.contact.email)
        if detail
    }


def test_a_ticket_view_has_the_documented_fields_and_masks_the_contact() -> None:
    view = ticket_view(sample_ticket())
    assert list(view) == TICKET_VIEW_FIELDS
    assert view["contact"] == {"name": "张先生", "phone": "138****5678", "email": None,
                               "role": "行政主管"}  # fmt: skip
    assert view["occurred_at"] == "2024-05-10T06:30:00+00:00"
    assert view["priority"] == "urgent"
    assert view["channel"] == "phone"
    assert view["close_status"] == "closed"
    assert view["contact_masked"] is True
    assert _plain(view)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ticket=tickets(max_events=12))
def test_no_view_of_any_ticket_holds_a_raw_phone_or_e_mail(ticket: Any) -> None:
    raw = _raw_details(ticket)
    texts = [
        json.dumps(ticket_view(ticket), ensure_ascii=False),
        json.dumps(history_view(ticket), ensure_ascii=False),
        *(json.dumps(event_view(e), ensure_ascii=False) for e in ticket.history),
    ]
    for text in texts:
        assert not [detail for detail in raw if detail in text]
    assert _plain(ticket_view(ticket))
    assert _plain(history_view(ticket))
    assert json.loads(texts[0]) == ticket_view(ticket)


def test_a_phone_number_written_into_a_free_text_is_masked_too() -> None:
    ticket = sample_ticket()  # closed: an improvement suggestion is still allowed
    text = "客户说打 13812345678 找他"
    suggested = ticket.new_event(ImprovementSuggested, by="李工", at=ticket.updated_at, text=text)
    after = ticket.apply(suggested)
    assert history_view(after)[-1]["text"] == "客户说打 138****5678 找他"
    assert event_view(suggested)["text"] == "客户说打 138****5678 找他"  # by its form, alone


@pytest.mark.parametrize("build", [daily, weekly, monthly])
def test_report_views_are_plain_json_without_contacts(build: Any) -> None:
    ticket = sample_ticket()
    period = {"daily": "2024-05-10", "weekly": "2024-W19", "monthly": "2024-05"}[build.__name__]
    view = report_view(build([ticket], period, calendar=WorkCalendar.china()))
    assert view["kind"] == build.__name__
    assert view["period"] == period
    assert _plain(view)
    assert "13812345678" not in json.dumps(view, ensure_ascii=False)


def test_a_view_refuses_what_is_not_its_value() -> None:
    with pytest.raises(InvalidData):
        ticket_view({"id": "T1"})  # type: ignore[arg-type]
    with pytest.raises(InvalidData):
        event_view("ticket_opened")  # type: ignore[arg-type]
    with pytest.raises(InvalidData):
        ticket_view(sample_ticket(), reveal=True)  # type: ignore[arg-type]


def _decision(ticket: Any, **changes: Any) -> AccessDecision:
    fields = {"ticket_id": ticket.id, "viewer": "王经理", "purpose": "回访", "granted": True,
              "at": ticket.updated_at}  # fmt: skip
    return AccessDecision(**(fields | changes))


def test_an_unrecorded_or_refused_decision_reveals_nothing() -> None:
    ticket = sample_ticket()
    for decision in (
        _decision(ticket),  # granted, but no ContactRevealed in the history
        _decision(ticket, granted=False, reason="不在值班表"),
        _decision(ticket, ticket_id="T-OTHER"),
    ):
        with pytest.raises(AccessDenied) as raised:
            ticket_view(ticket, reveal=decision)
        assert "13812345678" not in str(raised.value)
        with pytest.raises(AccessDenied):
            history_view(ticket, reveal=decision)


def test_a_recorded_grant_shows_the_contact_in_the_ticket_and_history_views() -> None:
    ticket = sample_ticket()
    at = ticket.updated_at.add(hours=1)
    revealed, decision = contact_reveal(
        ticket, by="王经理", purpose="回访", access=AllowedViewers({"王经理"}), at=at
    )
    assert isinstance(revealed.history[-1], ContactRevealed)
    view = ticket_view(revealed, reveal=decision)
    assert view["contact"]["phone"] == "13812345678"
    assert view["contact_masked"] is False
    assert history_view(revealed, reveal=decision)[0]["contact"]["phone"] == "13812345678"
    assert ticket_view(revealed)["contact"]["phone"] == "138****5678"
    other = AccessDecision(
        ticket_id=ticket.id, viewer="王经理", purpose="别的目的", granted=True, at=at
    )
    with pytest.raises(AccessDenied):
        ticket_view(revealed, reveal=other)


def test_a_contact_never_shows_in_a_view_of_its_masked_repr() -> None:
    contact = Contact(name="王女士", phone="13900001111", email="wang.nv@example.com")
    assert "13900001111" not in repr(contact)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    prefix=st.sampled_from(["", "+86 ", "86-"]),
    number=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    spaced=st.booleans(),
    user=st.from_regex(r"[a-z][a-z0-9._]{0,8}", fullmatch=True),
    around=st.text(alphabet="客户回电请联系 ，。:（）", max_size=8),
)
def test_an_event_viewed_alone_masks_any_mobile_number_or_e_mail_in_its_texts(
    prefix: str, number: str, spaced: bool, user: str, around: str
) -> None:
    written = f"{number[:3]} {number[3:7]} {number[7:]}" if spaced else number
    address = f"{user}@example.com"
    ticket = sample_ticket()
    note = ticket.new_event(
        ImprovementSuggested,
        by="李工",
        at=ticket.updated_at,
        text=f"{around}{prefix}{written}{around} {address}",
    )
    text = json.dumps(event_view(note), ensure_ascii=False)
    assert number not in text.replace(" ", "").replace("-", "")
    assert address not in text
    assert "****" in text
