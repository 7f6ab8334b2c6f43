"""Tags, attachment references and the on-site location (issue 14, part 3).

The rules, each checked: a tag's normal form (a fixed point; case, width and
spacing make no other tag) and every reason a tag is refused; the desk
narrowing ``add_tags``/``remove_tags`` to what changes the ticket (a property
over random requests), refusing a command that changes nothing; the
statuses that take each command; every reason an attachment reference or a
location is refused, with contacts and addresses never shown; the address
masked in views unless a recorded reveal shows it; the stored form of tickets
and events written before these fields, read back and written back as the
same text; the demo's tickets tagged and located.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import (
    InvalidData,
    InvalidTag,
    InvalidTransition,
    NaiveDatetimeError,
    ServiceDesk,
    Ticket,
    TicketStatus,
    UnknownValue,
)
from aftersales.model.attachments import MAX_SIZE, AttachmentRef
from aftersales.model.events import AttachmentAdded, LocationSet, NoteAdded, TagsAdded, TicketEvent
from aftersales.model.location import Location, masked_address
from aftersales.model.tags import MAX_TAGS, TAG_RULE, normal_tag, tag_set
from aftersales.serialization import from_json, to_json
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import attachment_refs, locations, tickets, typed_tags
from aftersales.ticket_snapshot import snapshot_json, snapshot_of, ticket_from_snapshot
from aftersales.trusted_text import event_text
from aftersales.views import AllowedViewers, event_view, history_view, ticket_view
from tests.helpers import open_sample, ticket_in

AT = pendulum.datetime(2024, 5, 14, 10, tz="Asia/Shanghai")


def _desk_with(ticket: Ticket) -> ServiceDesk:
    desk = ServiceDesk()
    desk.store.save(ticket, expected_version=0)
    return desk


# -- tags: the normal form ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("VIP", "vip"),
        ("ＶＩＰ\u3000客户", "vip 客户"),
        ("  返修 ", "返修"),
        ("Straße", "strasse"),
        ("Ⅱ期 工程", "ii期 工程"),
        ("batch\t2024-05", "batch 2024-05"),
    ],
)
def test_a_tag_is_kept_in_its_normal_form(typed: str, normal: str) -> None:
    assert normal_tag(typed) == normal


@given(typed_tags())
def test_the_normal_form_is_a_fixed_point(tag: str) -> None:
    normal = normal_tag(tag)
    assert normal_tag(normal) == normal
    assert normal == normal.strip()
    assert "  " not in normal


_ASCII = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"),
    min_size=1,
    max_size=30,
)


@given(_ASCII, st.sampled_from(["", " ", "\t", "\u3000", "  "]))
def test_case_width_and_spacing_make_no_other_tag(word: str, space: str) -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in word)  # ＡＢＣ１ for ABC1
    forms = {word.upper(), word.lower(), full_width, space + word + space}
    assert {normal_tag(form) for form in forms} == {word.lower()}


@given(st.lists(typed_tags(), max_size=8))
def test_a_set_of_tags_ignores_order_and_repeats(tags: list[str]) -> None:
    normal = tag_set(tags)
    assert normal == tag_set([*reversed(tags), *tags])
    assert list(normal) == sorted({normal_tag(tag) for tag in tags})


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "is blank"),
        (" \t\u3000", "is blank"),
        ("优先,加急", "holds ','"),
        ("优先，加急", "holds ','"),  # a full-width comma is a comma
        ("优先、加急", "holds '、'"),
        ("优先;加急", "holds ';'"),
        ("x" * 41, "is 41 characters long"),
        ("ｘ" * 41, "is 41 characters long"),
        ("a\x00b", "has a NUL character at position 1"),
        ("a\x07b", "holds the control character U+0007"),
        ("a\u200bb", "holds the control character U+200B"),
        (5, "'int' is not a text"),
        (None, "'NoneType' is not a text"),
        (["vip"], "'list' is not a text"),
    ],
)
def test_each_bad_tag_is_refused_by_name(value: Any, reason: str) -> None:
    with pytest.raises(InvalidTag) as refused:
        normal_tag(value, "tags[3]")
    assert isinstance(refused.value, InvalidData)
    assert isinstance(refused.value, ValueError)
    ((path, message),) = refused.value.problems
    assert path == "tags[3]"
    assert reason in message
    assert message.endswith(f"accepted: {TAG_RULE}")


def test_a_bad_tag_holding_a_phone_number_is_named_masked() -> None:
    with pytest.raises(InvalidTag) as refused:
        normal_tag("回电13812345678,急")
    assert "138****5678" in str(refused.value)
    assert "13812345678" not in str(refused.value)


def test_every_bad_tag_of_a_list_is_named_at_once() -> None:
    with pytest.raises(InvalidTag) as refused:
        tag_set(["vip", "", "a,b", "返修"])
    assert [path for path, _ in refused.value.problems] == ["tags[1]", "tags[2]"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [("vip", "'str' is not a list of tags"), (5, "'int' is not a list of tags")],
)
def test_a_list_of_tags_must_be_a_list(value: Any, reason: str) -> None:
    with pytest.raises(InvalidTag, match=reason):
        tag_set(value)


def test_a_list_far_longer_than_a_ticket_holds_is_refused_without_reading_it_all() -> None:
    def endless() -> Any:
        n = 0
        while True:
            n += 1
            yield f"tag{n}"

    with pytest.raises(InvalidTag, match="is too long a list"):
        tag_set(endless())


# -- tags: the desk ---------------------------------------------------------------------------


def test_add_tags_records_only_the_new_ones_and_refuses_when_none_is_new() -> None:
    desk = _desk_with(sample_ticket("T1"))
    first = desk.add_tags("T1", by="李工", tags=["VIP", "返修"])
    second = desk.add_tags("T1", by="李工", tags=["ＶＩＰ", "上门"])
    assert second.history[-1].tags == ("上门",)  # type: ignore[attr-defined]
    assert second.tags == {"vip", "返修", "上门"}
    with pytest.raises(InvalidTag, match="are all on ticket 'T1' already"):
        desk.add_tags("T1", by="李工", tags=["vip", " 返修"])
    assert desk.get("T1") == second
    assert first.version + 1 == second.version


def test_remove_tags_records_only_held_ones_and_refuses_when_none_is_held() -> None:
    desk = _desk_with(sample_ticket("T1"))
    desk.add_tags("T1", by="李工", tags=["vip", "返修"])
    after = desk.remove_tags("T1", by="李工", tags=["VIP", "urgent"])
    assert after.history[-1].tags == ("vip",)  # type: ignore[attr-defined]
    with pytest.raises(InvalidTag, match="not on ticket 'T1', which has 返修"):
        desk.remove_tags("T1", by="李工", tags=["vip"])
    assert desk.get("T1") == after


def test_a_bad_tag_in_a_command_changes_nothing() -> None:
    desk = _desk_with(sample_ticket("T1"))
    before = desk.get("T1")
    with pytest.raises(InvalidTag) as refused:
        desk.execute("add_tags", "T1", {"tags": ["ok", "a,b", ""]}, by="李工")
    assert [path for path, _ in refused.value.problems] == ["tags[1]", "tags[2]"]
    assert desk.get("T1") == before
    assert desk.history("T1") == before.history


_REQUESTS = st.lists(
    st.tuples(st.sampled_from(["add", "remove"]), st.lists(typed_tags(), min_size=1, max_size=3)),
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_REQUESTS)
def test_the_tags_are_the_set_the_requests_make_and_a_request_changing_nothing_is_refused(
    requests: list[tuple[str, list[str]]],
) -> None:
    desk = _desk_with(sample_ticket("T1"))
    expected: set[str] = set()
    for action, tags in requests:
        wanted = {normal_tag(tag) for tag in tags}
        changed = wanted - expected if action == "add" else wanted & expected
        method = desk.add_tags if action == "add" else desk.remove_tags
        before = desk.get("T1")
        if not changed:
            with pytest.raises(InvalidTag):
                method("T1", by="李工", tags=tags)
            assert desk.get("T1") == before
            continue
        after = method("T1", by="李工", tags=tags)
        assert after.history[-1].tags == tuple(sorted(changed))  # type: ignore[attr-defined]
        expected = expected | changed if action == "add" else expected - changed
        assert after.tags == expected
    assert Ticket.replay(desk.get("T1").history).tags == expected


def test_closed_tickets_take_tags_and_cancelled_ones_take_none() -> None:
    desk = ServiceDesk()
    assert desk.store.save(sample_ticket("T1"), expected_version=0) is None
    assert desk.add_tags("T1", by="李工", tags=["质量回溯"]).status is TicketStatus.CLOSED
    cancelled = ticket_in(desk, TicketStatus.CANCELLED, "T2")
    for command, arguments in [("add_tags", ["vip"]), ("remove_tags", ["vip"])]:
        with pytest.raises(InvalidTransition):
            getattr(desk, command)("T2", by="李工", tags=arguments)
    assert desk.get("T2") == cancelled


def test_a_ticket_holds_at_most_fifty_tags() -> None:
    desk = _desk_with(sample_ticket("T1"))
    full = desk.add_tags("T1", by="李工", tags=[f"批次{n}" for n in range(MAX_TAGS)])
    with pytest.raises(InvalidTag, match="would give ticket 'T1' 51 tags"):
        desk.add_tags("T1", by="李工", tags=["再来一个"])
    assert desk.get("T1") == full


# -- attachment references --------------------------------------------------------------------

_GOOD: dict[str, Any] = {
    "uri": "s3://after-sales/T1/现场照片.jpg",
    "name": "现场照片.jpg",
    "media_type": "image/jpeg",
    "size": 482_113,
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "attached_by": "王工",
    "attached_at": AT,
}


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("uri", "现场照片.jpg", "has no scheme"),
        ("uri", "https:/files/x.jpg", "is an https URI without a host"),
        ("uri", "s3://after-sales", "is an s3 URI without a bucket and a key"),
        ("uri", "https://files.example.com/现场 照片.jpg", "holds white space"),
        ("uri", "https://files.example.com/a%zz", "holds a % not followed by two hex digits"),
        ("uri", "https://h/" + "x" * 2050, "is 2060 characters long"),
        ("uri", 5, "'int' is not a text"),
        ("name", "", "is blank, too long or not valid text"),
        ("name", "照片\n2.jpg", "holds a control character"),
        ("media_type", "jpeg", "is not a media type"),
        ("media_type", "image/", "is not a media type"),
        ("media_type", "image/jp eg", "is not a media type"),
        ("size", -1, "is not a size in bytes"),
        ("size", True, "is not a size in bytes"),
        ("size", MAX_SIZE + 1, "is not a size in bytes"),
        ("sha256", "9f86d081", "is not a SHA-256 digest"),
        ("sha256", "g" * 64, "is not a SHA-256 digest"),
        ("attached_by", "", "is empty"),
    ],
)
def test_each_bad_field_of_an_attachment_is_refused_by_name(
    field: str, value: Any, reason: str
) -> None:
    with pytest.raises(InvalidData) as refused:
        AttachmentRef(**{**_GOOD, field: value})
    ((path, message),) = refused.value.problems
    assert path == field
    assert reason in message
    assert "accepted: " in message


def test_an_attachment_attached_at_a_naive_time_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError):
        AttachmentRef(**{**_GOOD, "attached_at": datetime(2024, 5, 14, 10)})


def test_an_attachment_is_kept_in_its_normal_form_and_accepts_any_scheme() -> None:
    ref = AttachmentRef(
        **{**_GOOD, "uri": "HTTPS://Files.example.com/T1", "media_type": "Image/JPEG"}
    )
    assert ref.uri == "https://Files.example.com/T1"
    assert ref.media_type == "image/jpeg"
    upper = AttachmentRef(**{**_GOOD, "sha256": _GOOD["sha256"].upper()})
    assert upper == AttachmentRef(**_GOOD)
    for uri in ("file:///srv/share/照片.jpg", "dms:documents/4711", "urn:uuid:1234"):
        assert AttachmentRef(**{**_GOOD, "uri": uri}).uri == uri


def test_a_phone_number_in_a_file_name_or_uri_is_masked_in_reprs_and_errors() -> None:
    named = AttachmentRef(
        **{
            **_GOOD,
            "name": "报修单-13812345678.pdf",
            "uri": "https://files.example.com/13812345678/报修单.pdf",
        }
    )
    assert "13812345678" not in repr(named)
    assert "138****5678" in repr(named)
    with pytest.raises(InvalidData) as refused:
        AttachmentRef(**{**_GOOD, "uri": "报修单-13812345678.pdf"})
    assert "13812345678" not in str(refused.value)
    assert "138****5678" in str(refused.value)


def test_attach_detach_and_what_they_refuse() -> None:
    desk = _desk_with(sample_ticket("T1"))
    photo = AttachmentRef(**_GOOD)
    report = AttachmentRef(**{**_GOOD, "name": "签收单.pdf", "sha256": "ab" * 32})
    desk.attach("T1", by="王工", attachment=photo)
    both = desk.attach("T1", by="王工", attachment=report)
    assert both.attachments == (photo, report)
    before = desk.get("T1")
    with pytest.raises(InvalidData, match="is already attached to ticket 'T1'") as refused:
        desk.attach("T1", by="王工", attachment=attrs.evolve(photo, name="另一个名字.jpg"))
    assert refused.value.problems[0][0] == "attachment.sha256"
    with pytest.raises(UnknownValue) as unknown:
        desk.detach("T1", by="王工", sha256="cd" * 32)
    assert set(unknown.value.accepted) == {photo.sha256, report.sha256}
    assert desk.get("T1") == before
    after = desk.detach("T1", by="王工", sha256=photo.sha256.upper(), reason="传错了")
    assert after.attachments == (report,)
    assert photo in [getattr(e, "attachment", None) for e in after.history]


def test_a_file_cannot_be_attached_after_the_attaching() -> None:
    desk = _desk_with(sample_ticket("T1"))
    later = desk.clock.now().add(hours=1)
    with pytest.raises(InvalidData) as refused:
        desk.attach("T1", by="王工", attachment=AttachmentRef(**{**_GOOD, "attached_at": later}))
    assert refused.value.problems[0][0] == "attachment.attached_at"


def test_attach_takes_the_json_form_and_lists_every_bad_field() -> None:
    desk = _desk_with(sample_ticket("T1"))
    payload = {**_GOOD, "attached_at": "2024-05-14T10:00:00+08:00"}
    ticket = desk.execute("attach", "T1", {"attachment": payload}, by="王工")
    assert ticket.attachments == (AttachmentRef(**_GOOD),)
    with pytest.raises(InvalidData) as refused:
        desk.execute(
            "attach", "T1", {"attachment": {**payload, "size": "1k", "sha256": "x"}}, by="王工"
        )
    paths = sorted(path for path, _ in refused.value.problems)
    assert paths == ["payload['attachment']['sha256']", "payload['attachment']['size']"]


@settings(max_examples=30)
@given(attachment_refs())
def test_any_attachment_round_trips_through_its_stored_form(ref: AttachmentRef) -> None:
    assert from_json(AttachmentRef, to_json(ref)) == ref


# -- the location ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("天河路385号太古汇1座1203室", "天河路**************"),
        ("长江路18号", "长江路***"),
        ("中关村大街", "中关村大*"),
        ("Room 1203, 1 Main St", "Room****************"),
        ("385号", "****"),
        ("", ""),
    ],
)
def test_an_address_is_masked_after_its_first_characters_before_any_digit(
    address: str, masked: str
) -> None:
    assert masked_address(address) == masked


@given(st.text(max_size=60))
def test_a_masked_address_keeps_its_length_and_shows_no_digit_and_at_most_four_characters(
    address: str,
) -> None:
    masked = masked_address(address)
    assert len(masked) == len(address)
    shown = masked.rstrip("*")
    assert len(shown) <= 4
    assert not any(c.isdigit() for c in shown)
    assert address.startswith(shown)


@pytest.mark.parametrize(
    ("arguments", "path", "reason"),
    [
        ({"address": ""}, "location", "no address, region, province, city or district"),
        ({"address": " ", "region": " "}, "location", "no address, region"),
        ({"address": 5}, "address", "int is not a text"),
        ({"address": "长" * 501}, "address", "is 501 characters long (not shown"),
        ({"address": "天河路\x00385号"}, "address", "has a NUL character at position 3"),
        ({"region": 5}, "region", "is not a region's name"),
        ({"region": "华南区", "province": ""}, "province", "is not a region's name"),
        ({"region": "华南区", "city": "市" * 51}, "city", "is not a region's name"),
    ],
)
def test_each_bad_location_is_refused_by_name_never_showing_the_address(
    arguments: dict[str, Any], path: str, reason: str
) -> None:
    with pytest.raises(InvalidData) as refused:
        Location(**arguments)
    assert [p for p, _ in refused.value.problems] == [path]
    assert reason in str(refused.value)
    address = arguments.get("address")
    if isinstance(address, str) and address.strip():
        assert address not in str(refused.value)
        assert address[:3] not in str(refused.value)


@given(locations())
def test_a_location_repr_never_shows_its_street_address(place: Location) -> None:
    assert repr(place) == repr(attrs.evolve(place, address=masked_address(place.address)))
    assert from_json(Location, to_json(place)) == place


_PLACE = Location("天河路385号太古汇1座1203室", "广州市天河区", province="广东省")


def test_the_location_at_intake_and_later_and_the_statuses_that_take_it() -> None:
    desk = ServiceDesk()
    opened = open_sample(desk, "T1", location=_PLACE)
    assert opened.location == _PLACE
    assert opened.history[0].location == _PLACE  # type: ignore[attr-defined]
    with pytest.raises(InvalidData, match="has this location already"):
        desk.set_location("T1", by="李工", location=_PLACE)
    moved = desk.set_location(
        "T1", by="李工", location={"address": "长江路18号", "region": "南京市"}, reason="客户搬迁"
    )
    assert moved.location == Location("长江路18号", "南京市")
    assert desk.set_location("T1", by="李工", location=None).location is None
    closed = ticket_in(desk, TicketStatus.CLOSED, "T2")
    with pytest.raises(InvalidTransition):
        desk.set_location("T2", by="李工", location=_PLACE)
    assert desk.get("T2") == closed


def test_views_mask_the_address_and_a_recorded_reveal_shows_it() -> None:
    desk = ServiceDesk()
    open_sample(desk, "T1", location=_PLACE)
    ticket = desk.set_location("T1", by="李工", location=attrs.evolve(_PLACE, region="华南区"))
    view = ticket_view(ticket)
    assert view["location"] == {
        "address": "天河路**************",
        "region": "华南区",
        "province": "广东省",
        "city": None,
        "district": None,
    }
    for event in (ticket.history[0], ticket.history[-1]):
        assert event_view(event)["location"]["address"] == "天河路**************"
    assert "385" not in json.dumps(history_view(ticket), ensure_ascii=False)
    reveal = desk.reveal_contact(
        "T1", by="王经理", purpose="上门维修", access=AllowedViewers({"王经理"})
    )
    assert ticket_view(reveal.ticket, reveal=reveal.decision)["location"]["address"] == (
        _PLACE.address
    )
    assert "385" in json.dumps(
        history_view(reveal.ticket, reveal=reveal.decision), ensure_ascii=False
    )


def test_the_ticket_view_lists_tags_and_masks_phones_in_attachment_names() -> None:
    desk = _desk_with(sample_ticket("T1"))
    desk.add_tags("T1", by="李工", tags=["返修", "VIP"])
    ticket = desk.attach(
        "T1", by="王工", attachment=AttachmentRef(**{**_GOOD, "name": "回电13912345678.jpg"})
    )
    view = ticket_view(ticket)
    assert view["tags"] == ["vip", "返修"]
    assert view["attachments"][0]["name"] == "回电139****5678.jpg"
    assert ticket_view(sample_ticket())["tags"] == []
    assert ticket_view(sample_ticket())["location"] is None


# -- the stored form --------------------------------------------------------------------------

#: A ticket's opening event and snapshot as the library wrote them before tags,
#: attachments and locations existed (``advance(build_ticket("T1"), Acknowledged)``).
OLD_OPENING = (
    '{"schema_version": 1, "ticket_id": "T1", "seq": 1, "at": "2024-05-10T01:00:00+00:00",'
    ' "by": "李工", "customer_id": "C202405001", "customer_name": "XX科技有限公司",'
    ' "channel": "phone", "category": "product_quality", "occurred_at":'
    ' "2024-05-10T00:50:00+00:00", "description": "设备开机后频繁死机", "priority": "general",'
    ' "contact": null, "purchase": null, "demands": [], "impact": "", "customer_words": "",'
    ' "priority_reason": "", "handler": "李工", "type": "ticket_opened"}'
)
OLD_SNAPSHOT = (
    '{"snapshot_version": 1, "id": "T1", "version": 2, "status": "analysing", "customer_id":'
    ' "C202405001", "customer_name": "XX科技有限公司", "contact": null, "purchase": null,'
    ' "channel": "phone", "category": "product_quality", "demands": [], "priority": "general",'
    ' "description": "设备开机后频繁死机", "impact": "", "customer_words": "", "occurred_at":'
    ' "2024-05-10T00:50:00+00:00", "received_at": "2024-05-10T01:00:00+00:00", "handler":'
    ' "李工", "assignee": "李工", "escalation_level": 0, "first_response_at":'
    ' "2024-05-10T01:01:00+00:00", "first_resolved_at": null, "resolved_at": null,'
    ' "closed_at": null, "cancelled_at": null, "reopen_count": 0, "resolved_on_first_contact":'
    ' false, "updated_at": "2024-05-10T01:01:00+00:00", "statuses": "received analysing"}'
)
OLD_ACKNOWLEDGED = (
    '{"schema_version": 1, "ticket_id": "T1", "seq": 2, "at": "2024-05-10T01:01:00+00:00",'
    ' "by": "李工", "note": "", "type": "acknowledged"}'
)


def test_texts_written_before_these_fields_read_back_and_are_written_again_unchanged() -> None:
    opening = from_json(TicketEvent, OLD_OPENING)
    acknowledged = from_json(TicketEvent, OLD_ACKNOWLEDGED)
    assert opening.location is None  # type: ignore[attr-defined]
    assert to_json(opening) == event_text(opening) == OLD_OPENING
    ticket = ticket_from_snapshot(json.loads(OLD_SNAPSHOT), (opening, acknowledged))
    assert ticket == Ticket.replay([opening, acknowledged])
    assert (ticket.tags, ticket.attachments, ticket.location) == (frozenset(), (), None)
    assert snapshot_json(ticket) == OLD_SNAPSHOT


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tickets(max_events=14), attachment_refs(), locations())
def test_tagged_located_tickets_round_trip_on_the_strict_and_the_trusted_paths(
    base: Ticket, ref: AttachmentRef, place: Location
) -> None:
    ticket = base
    at = ticket.updated_at.add(minutes=1)
    details: list[tuple[type[TicketEvent], dict[str, Any]]] = []
    if ticket.status is not TicketStatus.CANCELLED:
        new = [tag for tag in ("回溯", "Batch 7") if normal_tag(tag) not in ticket.tags]
        details.append((TagsAdded, {"tags": new}) if new else (NoteAdded, {"text": "x"}))
        if ref.sha256 not in {a.sha256 for a in ticket.attachments}:
            details.append((AttachmentAdded, {"attachment": attrs.evolve(ref, attached_at=at)}))
    if ticket.is_open and place != ticket.location:
        details.append((LocationSet, {"location": place}))
    for event_type, fields in details:
        ticket = ticket.apply(ticket.new_event(event_type, by="李工", at=at, **fields))
    assert from_json(Ticket, to_json(ticket)) == ticket
    assert snapshot_json(ticket) == json.dumps(snapshot_of(ticket), ensure_ascii=False)
    assert ticket_from_snapshot(json.loads(snapshot_json(ticket)), ticket.history) == ticket
    for event in ticket.history:
        assert event_text(event) == to_json(event)


# -- the demo ---------------------------------------------------------------------------------


def test_the_demo_tags_its_tickets_and_locates_the_on_site_ones() -> None:
    from aftersales import FixedClock, TicketQuery, WorkCalendar
    from aftersales.cli._ticket_text import render_ticket
    from aftersales.demo import DEMO_START, demo_policy, run_scenarios

    desk = ServiceDesk(clock=FixedClock(DEMO_START), sla=demo_policy(WorkCalendar.china()))
    run_scenarios(desk)
    on_site = desk.store.find(TicketQuery(tags=["上门维修"]))
    assert [t.id for t in on_site] == ["T20261012-001", "T20261012-003"]
    assert all(t.location is not None for t in on_site)
    assert desk.get("T20261012-001").attachments[0].media_type == "application/pdf"
    text = render_ticket(desk.get("T20261012-003"), lang="en")
    assert "location: 上海市静安区 南京西路" in text
    assert "1266" not in text
