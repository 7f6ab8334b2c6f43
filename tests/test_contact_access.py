"""Revealing a contact: the host's policy decides, a grant is recorded, a refusal changes nothing."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import (
    AccessDenied,
    FixedClock,
    InvalidData,
    InvalidTransition,
    ServiceDesk,
    Ticket,
    TicketStatus,
)
from aftersales.model.events import ContactRevealed
from aftersales.serialization import from_dict, to_dict
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import texts
from aftersales.views import AccessDecision, AllowedViewers
from tests.helpers import START, run_command, ticket_in

NOW = pendulum.datetime(2024, 5, 20, 9, tz="Asia/Shanghai")


class CountingPolicy:
    """Grants ``viewers`` and counts the questions it was asked."""

    def __init__(self, *viewers: str) -> None:
        self.inner = AllowedViewers(viewers)
        self.asked = 0

    def decide(self, viewer: str, ticket: Ticket, purpose: str, *, at: Any) -> AccessDecision:
        self.asked += 1
        return self.inner.decide(viewer, ticket, purpose, at=at)


@pytest.fixture
def desk() -> ServiceDesk:
    desk = ServiceDesk(clock=FixedClock(NOW))
    desk.store.save(sample_ticket("T1"), expected_version=0)
    return desk


def test_a_granted_reveal_records_exactly_one_event_naming_who_and_why(desk: ServiceDesk) -> None:
    before = desk.get("T1")
    reveal = desk.reveal_contact(
        "T1", by="王经理", purpose="低分回访", access=CountingPolicy("王经理")
    )
    after = desk.get("T1")
    assert reveal.contact is not None
    assert reveal.contact.phone == "13812345678"
    assert after.version == before.version + 1
    assert after.history[:-1] == before.history
    event = after.history[-1]
    assert isinstance(event, ContactRevealed)
    assert (event.by, event.purpose, event.at) == ("王经理", "低分回访", NOW)
    assert event.grounds == "an allowed viewer and purpose"
    assert after.status is before.status
    assert Ticket.replay(after.history) == after
    assert from_dict(ContactRevealed, to_dict(event)) == event
    assert "13812345678" not in repr(event)
    assert "13812345678" not in str(to_dict(event))
    assert reveal.view()["contact"]["phone"] == "13812345678"


def test_a_refusal_records_nothing_and_names_no_contact(desk: ServiceDesk) -> None:
    before = desk.get("T1")
    policy = CountingPolicy("王经理")
    with pytest.raises(AccessDenied) as raised:
        desk.reveal_contact("T1", by="实习生", purpose="好奇", access=policy)
    assert policy.asked == 1
    assert desk.get("T1") == before
    assert desk.history("T1") == before.history
    assert (raised.value.viewer, raised.value.purpose) == ("实习生", "好奇")
    assert "138" not in str(raised.value)
    assert isinstance(raised.value, PermissionError)


def test_a_cancelled_ticket_takes_no_reveal_and_the_policy_is_not_asked() -> None:
    desk = ServiceDesk(clock=FixedClock(START))
    before = ticket_in(desk, TicketStatus.RECEIVED)
    run_command(desk, "T1", "cancel")
    cancelled = desk.get("T1")
    policy = CountingPolicy("王经理")
    with pytest.raises(InvalidTransition):
        desk.reveal_contact("T1", by="王经理", purpose="回访", access=policy)
    assert policy.asked == 0
    assert desk.get("T1") == cancelled != before


class Liar:
    """Answers a question other than the one asked."""

    def decide(self, viewer: str, ticket: Ticket, purpose: str, *, at: Any) -> AccessDecision:
        return AccessDecision(
            ticket_id=ticket.id, viewer="别人", purpose=purpose, granted=True, at=at
        )


@pytest.mark.parametrize("access", [Liar(), object(), None, "grant"])
def test_a_policy_that_is_not_one_or_answers_another_question_is_refused(
    desk: ServiceDesk, access: Any
) -> None:
    before = desk.get("T1")
    with pytest.raises(InvalidData) as raised:
        desk.reveal_contact("T1", by="王经理", purpose="回访", access=access)
    assert "access" in str(raised.value)
    assert desk.get("T1") == before


def test_execute_does_not_record_a_reveal_without_a_decision(desk: ServiceDesk) -> None:
    before = desk.get("T1")
    with pytest.raises(InvalidData, match="reveal_contact"):
        desk.execute("reveal_contact", "T1", {"purpose": "回访"}, by="王经理")
    assert desk.get("T1") == before


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=st.sampled_from([s for s in TicketStatus if s is not TicketStatus.CANCELLED]),
    viewer=texts(8),
    allowed=st.lists(texts(8), max_size=3),
    purpose=texts(),
)
def test_a_reveal_is_granted_and_recorded_exactly_when_the_policy_allows(
    status: TicketStatus, viewer: str, allowed: list[str], purpose: str
) -> None:
    desk = ServiceDesk(clock=FixedClock(START))
    before = ticket_in(desk, status)
    granted = viewer in allowed
    try:
        desk.reveal_contact("T1", by=viewer, purpose=purpose, access=AllowedViewers(allowed))
    except AccessDenied:
        assert not granted
    else:
        assert granted
    after = desk.get("T1")
    assert after.version == before.version + granted
    reveals = [e for e in after.history if isinstance(e, ContactRevealed)]
    assert [(e.by, e.purpose) for e in reveals] == ([(viewer, purpose)] if granted else [])


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    number=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    address=st.from_regex(r"[a-z]{1,8}@example\.com", fullmatch=True),
)
def test_a_refusal_whose_purpose_quotes_a_number_shows_it_masked(number: str, address: str) -> None:
    desk = ServiceDesk(clock=FixedClock(NOW))
    desk.store.save(sample_ticket("T1"), expected_version=0)
    purpose = f"客户 {number} 让我回电，邮件 {address}"
    with pytest.raises(AccessDenied) as raised:
        desk.reveal_contact("T1", by="实习生", purpose=purpose, access=CountingPolicy("王经理"))
    message = str(raised.value)
    assert number not in message
    assert address not in message
    assert f"{number[:3]}****{number[-4:]}" in message
    assert number not in raised.value.purpose
