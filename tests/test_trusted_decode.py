"""The trusted path reads back exactly what the strict path reads: events, snapshots, instants.

The reference is the strict decode (:func:`aftersales.serialization.from_dict`,
every check run) of what ``to_json`` wrote, and ``Ticket.replay`` of it; the
trusted decode must give equal values of the very same types, field by field
(a ``pendulum.DateTime`` in ``pendulum.UTC``, the registered term, the enum
member), derived fields included (``TicketEvent.at_us``, ``Ticket.statuses``).
Histories are drawn under a company vocabulary, so that its own terms are read
back too.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import Channel, Demand, InvalidData, ProblemCategory, RootCauseCategory
from aftersales.errors import UnsupportedSchemaVersion
from aftersales.model.events import TicketEvent
from aftersales.model.fields import TicketFields
from aftersales.model.ticket import Ticket
from aftersales.serialization import converter, from_dict, from_json, to_dict, to_json
from aftersales.serialization_trusted import (
    trusted_encoder,
    trusted_event,
    trusted_event_from_json,
    trusted_json,
    utc_instant,
    utc_text,
)
from aftersales.testing.strategies import aware_datetimes, event_histories, tickets
from aftersales.ticket_snapshot import snapshot_json, snapshot_of, ticket_from_snapshot
from aftersales.vocabulary import Vocabulary

COMPANY = Vocabulary()
COMPANY.register(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
COMPANY.register(ProblemCategory, "installation", "Installation", "安装问题")
COMPANY.register(Demand, "loaner", "Loaner unit", "备用机")
COMPANY.register(RootCauseCategory, "courier", "Courier", "快递员")


def same(mine: Any, reference: Any, path: str = "$") -> None:
    """``mine`` equals ``reference`` and has its type, recursively through attrs values and tuples."""
    assert type(mine) is type(reference), f"{path}: {type(mine)} is not {type(reference)}"
    if attrs.has(type(reference)):
        for field in attrs.fields(type(reference)):
            if field.name != "history":
                same(
                    getattr(mine, field.name),
                    getattr(reference, field.name),
                    f"{path}.{field.name}",
                )
    elif isinstance(reference, tuple):
        assert len(mine) == len(reference), path
        for index, (a, b) in enumerate(zip(mine, reference, strict=True)):
            same(a, b, f"{path}[{index}]")
    elif isinstance(reference, datetime):
        assert mine.tzinfo is reference.tzinfo, path
        assert mine.isoformat() == reference.isoformat(), path
    assert mine == reference, path


@given(data=st.data())
def test_the_trusted_decode_of_every_event_is_the_strict_decode(data: st.DataObject) -> None:
    with COMPANY.active():
        history = data.draw(event_histories(max_events=25))
        for event in history:
            text = to_json(event)
            strict = from_json(TicketEvent, text)
            same(trusted_event_from_json(text), strict)
            same(trusted_event(json.loads(text)), strict)
            same(trusted_event(trusted_json(text)), strict)


@given(data=st.data())
def test_a_snapshot_reads_back_as_the_replayed_ticket(data: st.DataObject) -> None:
    with COMPANY.active():
        ticket = data.draw(tickets(max_events=25))
        strict = Ticket.replay([from_json(TicketEvent, to_json(e)) for e in ticket.history])
        read = ticket_from_snapshot(json.loads(snapshot_json(ticket)), strict.history)
        same(read, strict)
        assert read.history == strict.history
        assert read.statuses == strict.statuses


@given(data=st.data())
def test_the_snapshot_holds_the_fields_as_the_strict_converter_writes_them(
    data: st.DataObject,
) -> None:
    with COMPANY.active():
        ticket = data.draw(tickets(max_events=25))
    snapshot = snapshot_of(ticket)
    fields = converter.unstructure(ticket, unstructure_as=TicketFields)
    assert {k: v for k, v in snapshot.items() if k in fields} == fields
    assert set(snapshot) == {*fields, "snapshot_version", "statuses"}
    assert snapshot["statuses"].split(" ") == [s.value for s in ticket.statuses]


@given(data=st.data())
def test_the_trusted_encoder_writes_what_to_dict_writes(data: st.DataObject) -> None:
    with COMPANY.active():
        history = data.draw(event_histories(max_events=25))
    for event in history:
        written = {"schema_version": 1, **trusted_encoder(type(event))(event), "type": event.type}
        assert written == to_dict(event)


@given(aware_datetimes())
def test_instants_round_trip_through_their_stored_text(instant: datetime) -> None:
    text = utc_text(instant)
    assert text == to_dict(_Stamp(instant))["at"]  # what the strict converter writes
    read = utc_instant(text)
    same(read, from_dict(_Stamp, {"schema_version": 1, "at": text}).at)
    assert read == instant


@given(aware_datetimes())
def test_an_instant_written_with_another_offset_is_read_in_utc(instant: datetime) -> None:
    local = pendulum.instance(instant).in_timezone("Asia/Shanghai")
    same(
        utc_instant(local.isoformat()),
        from_dict(_Stamp, {"schema_version": 1, "at": local.isoformat()}).at,
    )


@attrs.frozen
class _Stamp:
    """A value holding one instant, for the strict converter to write and read."""

    at: pendulum.DateTime


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        ({"schema_version": 2, "type": "acknowledged"}, UnsupportedSchemaVersion, "schema version 2"),
        ({"schema_version": True, "type": "acknowledged"}, UnsupportedSchemaVersion, "True"),
        ({"schema_version": 1, "type": "nonsense"}, InvalidData, "'nonsense'"),
        ({"schema_version": 1, "type": ["acknowledged"]}, InvalidData, "type"),
        ({"schema_version": 1, "type": "acknowledged", "seq": 2}, InvalidData, "KeyError"),
        (
            {"schema_version": 1, "type": "acknowledged", "ticket_id": "T1", "seq": 2, "by": "x",
             "at": 5, "note": ""},
            InvalidData,
            "Acknowledged",
        ),
        (
            {"schema_version": 1, "type": "contact_recorded", "ticket_id": "T1", "seq": 2,
             "by": "x", "at": "2024-05-10T06:30:00+00:00", "channel": "fax", "summary": "s",
             "inbound": False},
            InvalidData,
            "'fax'",
        ),
        ([1, 2, 3], InvalidData, "list is not an object"),
    ],
)  # fmt: skip
def test_what_cannot_be_built_is_refused_by_name(data: Any, error: type, words: str) -> None:
    with pytest.raises(error) as raised:
        trusted_event(data)
    assert words in str(raised.value)


def test_missing_optional_fields_take_their_defaults_as_in_a_strict_read() -> None:
    stored = {
        "schema_version": 1,
        "type": "visit_recorded",
        "ticket_id": "T1",
        "seq": 9,
        "by": "回访专员",
        "at": "2024-05-14T02:00:00+00:00",
        "resolved": True,
        "score": 5,
    }
    same(trusted_event(stored), from_dict(TicketEvent, stored))


def test_malformed_json_gets_the_strict_reader_s_error() -> None:
    for text in ('{"a": 1', '{"a": 1} x', "[" * 100_000 + "]" * 100_000):
        with pytest.raises(InvalidData):
            trusted_json(text)


def test_a_snapshot_of_another_format_or_shape_is_refused() -> None:
    from aftersales.testing.samples import sample_ticket

    ticket = sample_ticket()
    data = snapshot_of(ticket)
    with pytest.raises(UnsupportedSchemaVersion, match="snapshot_version: schema version 2"):
        ticket_from_snapshot({**data, "snapshot_version": 2}, ticket.history)
    with pytest.raises(InvalidData, match="the stored snapshot is malformed"):
        ticket_from_snapshot({k: v for k, v in data.items() if k != "priority"}, ticket.history)
    with pytest.raises(InvalidData, match="the stored snapshot is malformed"):
        ticket_from_snapshot({**data, "statuses": "received lost"}, ticket.history)
    with pytest.raises(InvalidData, match="list is not an object"):
        ticket_from_snapshot([data], ticket.history)
