"""The build's fast paths write and compute exactly what the reference paths do.

- :func:`aftersales.trusted_text.event_text` writes, character for character,
  what ``to_json`` writes for every event (the stored ``ticket_events.data``);
- ``snapshot_json`` (written directly) is ``json.dumps(snapshot_of(ticket))``;
- a SQLite store's rows hold those very texts after ``save_many``;
- ``Projector.project`` (built without re-running the checks) equals the
  projection built through ``TicketProjection``'s checked constructor, with
  the instants in UTC as the checks leave them.

Histories are drawn under a company vocabulary, so that its own terms are
written too.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from unittest.mock import patch

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import Channel, Demand, InvalidData, ProblemCategory, RootCauseCategory
from aftersales.model import Product
from aftersales.readmodel import projection
from aftersales.readmodel.projection import Projector, TicketProjection
from aftersales.serialization import to_json
from aftersales.storage import SQLiteStore
from aftersales.testing.strategies import event_histories, sla_policies, tickets
from aftersales.ticket_snapshot import snapshot_json, snapshot_of
from aftersales.trusted_text import event_text, members_writer
from aftersales.vocabulary import Vocabulary
from tests.helpers import examples

COMPANY = Vocabulary()
COMPANY.register(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
COMPANY.register(ProblemCategory, "installation", "Installation", "安装问题")
COMPANY.register(Demand, "loaner", "Loaner unit", "备用机")
COMPANY.register(RootCauseCategory, "courier", "Courier", "快递员")

_SETTINGS = settings(
    max_examples=examples(1.0), deadline=None, suppress_health_check=list(HealthCheck)
)


@_SETTINGS
@given(data=st.data())
def test_every_event_is_written_as_to_json_writes_it(data: st.DataObject) -> None:
    with COMPANY.active():
        history = data.draw(event_histories(max_events=25))
        for event in history:
            assert event_text(event) == to_json(event)


@_SETTINGS
@given(data=st.data())
def test_the_snapshot_text_is_the_json_of_its_plain_data(data: st.DataObject) -> None:
    with COMPANY.active():
        ticket = data.draw(tickets(max_events=25))
        assert snapshot_json(ticket) == json.dumps(snapshot_of(ticket), ensure_ascii=False)


#: Texts a model field accepts, with every kind of character JSON escapes (quotes, controls, non-ASCII).
_TEXTS = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40
).filter(str.strip)


@given(model=_TEXTS, name=st.none() | _TEXTS)
def test_any_text_is_escaped_as_the_standard_encoder_escapes_it(
    model: str, name: str | None
) -> None:
    product = Product(model=model, name=name)
    assert "{" + '"schema_version": 1, ' + members_writer(Product)(product) + "}" == to_json(
        product
    )


def test_a_class_without_a_trusted_writer_is_refused_by_name() -> None:
    @attrs.frozen
    class Tagged:
        tags: dict[str, str]

    with pytest.raises(
        InvalidData, match=r"Tagged.*has a field of a type without a trusted writer"
    ):
        members_writer(Tagged)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(drawn=st.lists(tickets(max_events=12), min_size=1, max_size=4))
def test_a_sqlite_store_keeps_the_reference_texts(drawn: list[Any]) -> None:
    unique = list({ticket.id: ticket for ticket in drawn}.values())
    store = SQLiteStore(":memory:")
    store.save_many(unique)
    with store._reading() as cur:
        cur.execute("SELECT ticket_id, seq, data FROM ticket_events")
        events = {(row[0], row[1]): row[2] for row in cur.fetchall()}
        cur.execute("SELECT id, snapshot FROM tickets")
        snapshots = dict(cur.fetchall())
    assert events == {(t.id, e.seq): to_json(e) for t in unique for e in t.history}
    assert snapshots == {t.id: json.dumps(snapshot_of(t), ensure_ascii=False) for t in unique}


def _checked(*values: Any) -> TicketProjection:
    """The reference: the projector's values through the checked constructor."""
    names = [f.name for f in attrs.fields(TicketProjection)]
    return TicketProjection(**dict(zip(names, values, strict=True)))


@_SETTINGS
@given(ticket=tickets(max_events=20), policy=st.none() | sla_policies())
def test_a_projection_is_what_the_checked_constructor_makes(ticket: Any, policy: Any) -> None:
    projector = Projector(policy)
    fast = projector.project(ticket)
    with patch.object(projection, "_computed", _checked):
        reference = projector.project(ticket)
    assert fast == reference
    for field in attrs.fields(TicketProjection):
        value, expected = getattr(fast, field.name), getattr(reference, field.name)
        assert type(value) is type(expected), field.name
        if isinstance(expected, datetime):
            assert value.tzinfo is expected.tzinfo is pendulum.UTC, field.name
            assert value.isoformat() == expected.isoformat(), field.name
