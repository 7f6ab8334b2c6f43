"""Reply templates (话术, issue 14): placeholders, rendering, versions, suggestions, the backends.

* every placeholder the syntax does not accept is refused by name, with the
  accepted ones, and a contact written into a template is refused;
* rendering is worked by hand: due times in Chinese and English in
  Asia/Shanghai, under a real SLA policy on a real calendar;
* a changed template is a new version, the old ones stay readable, a reply
  says which version it came from;
* suggestions come in the documented order; the same on memory, SQLite and
  PostgreSQL, through the knowledge base and the HTTP API;
* for every template and every ticket of the strategies, rendering never
  raises and never shows the ticket's phone or e-mail unmasked.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import (
    Contact,
    Customer,
    FixedClock,
    InvalidData,
    KnowledgeBase,
    NotFound,
    Product,
    Purchase,
    ServiceDesk,
    SlaPolicy,
    SQLiteStore,
    UnknownValue,
    WorkCalendar,
)
from aftersales.knowledge import (
    PLACEHOLDERS,
    ReplyTemplate,
    ReplyTemplates,
    format_due_at,
    render_reply,
)
from aftersales.model.events import TicketOpened
from aftersales.model.masking import MaskingPolicy
from aftersales.model.ticket import Ticket
from aftersales.storage import MemoryStore
from aftersales.testing.contracts import make_reply_template
from aftersales.testing.strategies import tickets
from tests.helpers import examples

TZ = "Asia/Shanghai"
#: Office hours, Monday to Friday, no holidays: every year computable.
CALENDAR = WorkCalendar(TZ, dict.fromkeys(range(5), (("09:00", "12:00"), ("13:30", "18:00"))))
POLICY = SlaPolicy.default(CALENDAR)
#: Friday 17 May 2024, 17:40 in Shanghai: 20 working minutes left in the week.
FRIDAY = pendulum.datetime(2024, 5, 17, 17, 40, tz=TZ)
PHONE = "13912345678"
EMAIL = "li.lei@example.com"
ACCEPTED = "accepted: '{customer_name}', '{ticket_id}', '{due_at}', '{handler}', '{product}'"


def template(body: str, **fields: Any) -> ReplyTemplate:
    return make_reply_template("RT-1", body=body, **fields)


# -- placeholders -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        ("您好 {customer_phone}", UnknownValue, f"body: '{{customer_phone}}' is not a known value; {ACCEPTED}"),
        ("您好 {contact}", UnknownValue, f"body: '{{contact}}' is not a known value; {ACCEPTED}"),
        ("您好 {}", UnknownValue, f"body: '{{}}' is not a known value; {ACCEPTED}"),
        ("您好 {0}", UnknownValue, f"body: '{{0}}' is not a known value; {ACCEPTED}"),
        ("{ticket_id.__class__}", UnknownValue, f"body: '{{ticket_id.__class__}}' is not a known value; {ACCEPTED}"),
        ("{handler[0]}", UnknownValue, f"body: '{{handler[0]}}' is not a known value; {ACCEPTED}"),
        ("{Customer_Name}", UnknownValue, f"body: '{{Customer_Name}}' is not a known value; {ACCEPTED}"),
        ("{due_at:%Y-%m-%d}", InvalidData, "body: '{due_at:%Y-%m-%d}' has a format spec or a conversion; accepted: a bare name such as '{due_at}'"),
        ("{customer_name!r}", InvalidData, "body: '{customer_name!r}' has a format spec or a conversion"),
        ("{due_at:{handler}}", InvalidData, "body: '{due_at:{handler}}' has a format spec or a conversion"),
        ("您好 {customer_name", InvalidData, "body: '您好 {customer_name' has an unpaired brace"),
        ("您好 }", InvalidData, "body: '您好 }' has an unpaired brace"),
        ("请回电 13812345678", InvalidData, "body: writes a mobile number or an e-mail address ('请回电 138****5678', masked here)"),
        ("请回电 +86 138 1234 5678 谢谢", InvalidData, "body: writes a mobile number or an e-mail address ('请回电 +86138****5678 谢谢', masked here)"),
        ("write to li.lei@example.com", InvalidData, "body: writes a mobile number or an e-mail address ('write to l*****@example.com', masked here)"),
    ],
)  # fmt: skip
def test_a_placeholder_or_contact_the_syntax_does_not_accept_is_refused_by_name(
    body: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        template(body)
    assert type(raised.value) is error
    assert str(raised.value).startswith(message), str(raised.value)
    assert "13812345678" not in str(raised.value)
    assert "li.lei@example.com" not in str(raised.value)


def test_a_phone_number_in_the_title_is_refused_and_nothing_is_stored() -> None:
    replies = ReplyTemplates(clock=FixedClock(FRIDAY))
    with pytest.raises(InvalidData, match=r"^title: writes a mobile number"):
        replies.add("RT-1", title="王工 13812345678", body="您好", by="王经理")
    replies.add("RT-2", title="受理", body="您好", by="王经理")
    with pytest.raises(UnknownValue, match=r"'\{phone\}' is not a known value"):
        replies.revise("RT-2", by="王经理", body="请拨打 {phone}")
    assert [t.code for t in replies.find()] == ["RT-2"]
    assert [t.body for t in replies.history("RT-2")] == ["您好"]


@pytest.mark.parametrize(
    ("body", "placeholders"),
    [
        ("{{customer_name}} 是字面的花括号", ()),
        ("服务热线 400-820-8820,座机 010-62345678,工单 {ticket_id}", ("ticket_id",)),
        ("{handler}{handler}{product}{customer_name}", ("handler", "product", "customer_name")),
        ("".join(f"{{{name}}}" for name in PLACEHOLDERS), tuple(PLACEHOLDERS)),
    ],
)
def test_the_accepted_syntax_is_kept(body: str, placeholders: tuple[str, ...]) -> None:
    assert template(body).placeholders == placeholders


# -- rendering, worked by hand ---------------------------------------------------------------


def _desk() -> ServiceDesk:
    return ServiceDesk(clock=FixedClock(FRIDAY), sla=POLICY)


def _open(desk: ServiceDesk, **overrides: Any) -> Ticket:
    fields: dict[str, Any] = {
        "customer": Customer(id="C1", name="XX科技有限公司"),
        "channel": "phone",
        "category": "product_quality",
        "description": "打印机频繁卡纸",
        "occurred_at": FRIDAY.subtract(minutes=30),
        "by": "李工",
        "ticket_id": "T1",
        "priority": "important",
        "contact": Contact(name="李雷", phone=PHONE, email=EMAIL),
        "purchase": Purchase(Product("X200", name="激光打印机"), date(2024, 1, 5)),
        "handler": "李工",
    }
    fields.update(overrides)
    return desk.open_ticket(**fields)


ZH = "{customer_name}您好,您的{product}问题(工单 {ticket_id})由{handler}跟进,我们将在 {due_at} 前回复您。"
EN = "Dear {customer_name}, {handler} will get back to you about your {product} (ticket {ticket_id}) by {due_at}."


def test_the_due_time_is_the_next_sla_due_time_in_chinese_and_english() -> None:
    # An important ticket opened Friday 17:40 has 2 working hours to its first response:
    # 20 minutes on Friday (to 18:00), then 1 h 40 from Monday 09:00: Monday 20 May, 10:40.
    desk = _desk()
    ticket = _open(desk)
    replies = ReplyTemplates(clock=desk.clock)
    replies.add("zh", title="受理确认", body=ZH, by="王经理")
    replies.add("en", title="Acknowledgement", body=EN, by="王经理", language="en")
    assert replies.render("zh", ticket, policy=POLICY).text == (
        "XX科技有限公司您好,您的激光打印机问题(工单 T1)由李工跟进,我们将在 2024年5月20日 10:40 前回复您。"
    )
    assert replies.render("en", ticket, policy=POLICY).text == (
        "Dear XX科技有限公司, 李工 will get back to you about your 激光打印机 (ticket T1)"
        " by 20 May 2024, 10:40."
    )
    # Acknowledged at once: the next due time is the resolution's, 24 working hours from
    # Friday 17:40: 20 min on Friday, 7.5 h on each of Mon, Tue, Wed (22.5 h), then 1 h 10
    # on Thursday from 09:00: Thursday 23 May, 10:10. Assigned to 王工, who now handles it.
    desk.acknowledge("T1", by="李工")
    ticket = desk.assign("T1", by="主管", assignee="王工")
    zh = replies.render("zh", ticket, policy=POLICY)
    assert zh.text.endswith("由王工跟进,我们将在 2024年5月23日 10:10 前回复您。")
    assert (zh.code, zh.version, zh.language, zh.ticket_id) == ("zh", 1, "zh", "T1")
    assert replies.render("en", ticket, policy=POLICY).text.endswith("by 23 May 2024, 10:10.")


def test_without_a_due_time_the_reply_says_so_and_the_fallbacks_read_well() -> None:
    opened = TicketOpened(
        ticket_id="T1",
        seq=1,
        at=FRIDAY,
        by="李工",
        customer_id="C1",
        customer_name="XX科技有限公司",
        channel="phone",
        category="product_quality",
        occurred_at=FRIDAY,
        description="打印机频繁卡纸",
        priority="important",
    )
    bare = Ticket.replay([opened])  # no product, no handler, no contact
    replies = ReplyTemplates(clock=FixedClock(FRIDAY))
    replies.add("zh", title="受理确认", body=ZH, by="王经理")
    replies.add("en", title="Acknowledgement", body=EN, by="王经理", language="en")
    assert replies.render("zh", bare).text == (
        "XX科技有限公司您好,您的您的产品问题(工单 T1)由售后服务专员跟进,我们将在 待定 前回复您。"
    )
    assert replies.render("en", bare, policy=POLICY).text.endswith("by 20 May 2024, 10:40.")
    assert replies.render("en", bare).text == (
        "Dear XX科技有限公司, our after-sales team will get back to you about your"
        " your product (ticket T1) by to be confirmed."
    )


@pytest.mark.parametrize(
    ("instant", "zh", "en"),
    [
        (pendulum.datetime(2024, 5, 20, 2, 40, tz="UTC"), "2024年5月20日 10:40", "20 May 2024, 10:40"),
        (pendulum.datetime(2024, 12, 31, 16, 5, tz="UTC"), "2025年1月1日 00:05", "1 January 2025, 00:05"),
        (pendulum.datetime(2024, 2, 29, 1, 0, tz="UTC"), "2024年2月29日 09:00", "29 February 2024, 09:00"),
    ],
)  # fmt: skip
def test_due_times_are_written_in_the_calendars_zone(
    instant: pendulum.DateTime, zh: str, en: str
) -> None:
    local = instant.in_tz(TZ)
    assert (format_due_at(local, "zh"), format_due_at(local, "en")) == (zh, en)
    ticket = _open(_desk())
    reply = render_reply(template("{due_at}"), ticket, due_at=instant, tz=TZ)
    assert reply.text == zh


def test_a_contact_typed_into_the_tickets_texts_is_masked_in_the_reply() -> None:
    ticket = _open(_desk(), customer=Customer(id="C1", name=f"李雷 {PHONE}"), handler=EMAIL)
    reply = render_reply(template("{customer_name},{handler} 将联系您"), ticket)
    assert reply.text == "李雷 139****5678,l*****@example.com 将联系您"
    strict = MaskingPolicy(phone_rule="hide_last_four", email_visible=0)
    assert render_reply(template("{customer_name}"), ticket, masking=strict).text == (
        "李雷 1391234****"
    )


# -- versions ---------------------------------------------------------------------------------


def test_a_changed_template_is_a_new_version_and_the_old_ones_stay_readable() -> None:
    clock = FixedClock(FRIDAY)
    replies = ReplyTemplates(clock=clock)
    desk = _desk()
    ticket = _open(desk)
    first = replies.add("ack", title="受理确认", body="{customer_name}您好,已受理。", by="王经理")
    assert replies.render("ack", ticket).version == 1
    clock.advance(hours=1)
    second = replies.revise("ack", by="李工", body="{customer_name}您好,工单 {ticket_id} 已受理。")
    assert (second.version, second.author, second.updated_at) == (2, "李工", FRIDAY.add(hours=1))
    rendered = replies.render("ack", ticket)
    assert (rendered.version, rendered.text) == (2, "XX科技有限公司您好,工单 T1 已受理。")
    with pytest.raises(InvalidData, match="body changes nothing"):
        replies.revise("ack", by="李工", body=second.body)
    with pytest.raises(InvalidData, match="is before version 2"):
        replies.revise("ack", by="李工", at=FRIDAY, title="更早的修改")
    third = replies.retire("ack", by="王经理")
    assert replies.history("ack") == [first, second, third]
    assert [t.body for t in replies.history("ack")][:1] == ["{customer_name}您好,已受理。"]
    assert replies.suggest(ticket) == []
    assert [t.code for t in replies.find(include_retired=True)] == ["ack"]
    back = replies.revise("ack", by="王经理", retired=False)
    assert (back.version, back.retired, back.body) == (4, False, second.body)
    assert [s.reply.version for s in replies.suggest(ticket)] == [4]
    with pytest.raises(NotFound):
        replies.history("nope")


# -- suggestions --------------------------------------------------------------------------------


def _suggestion_world(replies: ReplyTemplates) -> None:
    """Templates around an important product-quality ticket by phone about a printer jam."""
    at = FRIDAY.subtract(days=10)
    adds: list[tuple[str, dict[str, Any]]] = [
        ("f-general", {"body": "{customer_name}您好,已收到您的反馈。"}),
        ("e-phone", {"channel": "phone", "body": "关于卡纸:电话里说明的卡纸处理步骤如下。"}),
        ("d-old", {"category": "product_quality", "body": "质量问题处理说明(旧)"}),
        ("c-new", {"category": "product_quality", "body": "质量问题处理说明(新)"}),
        ("b-jam", {"category": "product_quality", "body": "打印机卡纸时请先清理进纸通道。"}),
        ("a-exact", {"category": "product_quality", "channel": "phone", "body": "电话回访话术"}),
        ("x-other", {"category": "consultation", "body": "打印机卡纸 咨询"}),
        ("y-email", {"channel": "email", "body": "打印机卡纸 邮件"}),
        ("z-retired", {"category": "product_quality", "body": "打印机卡纸 旧话术"}),
        ("en-jam", {"category": "product_quality", "language": "en", "body": "Paper jam steps"}),
    ]
    for minutes, (code, fields) in enumerate(adds):
        replies.add(code, title=code, by="王经理", at=at.add(minutes=minutes), **fields)
    replies.retire("z-retired", by="王经理", at=at.add(hours=1))


def test_suggestions_put_the_category_first_then_the_channel_then_the_text_then_recency() -> None:
    replies = ReplyTemplates(clock=FixedClock(FRIDAY))
    _suggestion_world(replies)
    ticket = _open(_desk())
    found = replies.suggest(ticket, language="zh", limit=10)
    # a-exact: category and channel; b-jam, c-new, d-old: category (b-jam mentions the jam,
    # c-new is newer than d-old); e-phone: channel only, despite its text; f-general: neither.
    assert [s.template.code for s in found] == [
        "a-exact",
        "b-jam",
        "c-new",
        "d-old",
        "e-phone",
        "f-general",
    ]
    scores = {s.template.code: s.score for s in found}
    assert scores["b-jam"] > 0
    assert scores["e-phone"] > 0
    assert scores["c-new"] == scores["d-old"] == scores["a-exact"] == 0
    assert found[-1].reply.text == "XX科技有限公司您好,已收到您的反馈。"
    assert [s.template.code for s in replies.suggest(ticket, limit=3)] == [
        "a-exact",
        "b-jam",
        "en-jam",
    ]
    assert [s.template.code for s in replies.suggest(ticket, language="en")] == ["en-jam"]


# -- the three backends, the knowledge base and the API ---------------------------------------


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryStore()
    elif request.param == "sqlite":
        with SQLiteStore(tmp_path / "desk.db") as opened:
            yield opened
    else:
        dsn = request.getfixturevalue("postgres_dsn")
        from aftersales.storage.postgres import PostgresStore
        from tests.storage.test_postgres import _reset

        _reset(dsn)
        with PostgresStore(dsn, max_size=2) as opened:
            yield opened


def test_the_knowledge_base_keeps_templates_in_its_store_on_every_backend(store: Any) -> None:
    desk = ServiceDesk(store, clock=FixedClock(FRIDAY), sla=POLICY)
    ticket = _open(desk)
    kb = KnowledgeBase(clock=desk.clock, templates=store)
    _suggestion_world(kb.replies)
    kb.replies.revise(
        "b-jam", by="李工", body="{customer_name}您好,打印机卡纸请先清理进纸通道,{due_at} 前回电。"
    )
    found = kb.suggest_replies(ticket, policy=POLICY, language="zh", limit=2)
    assert [(s.template.code, s.reply.version) for s in found] == [("a-exact", 1), ("b-jam", 2)]
    assert (
        found[1].reply.text
        == "XX科技有限公司您好,打印机卡纸请先清理进纸通道,2024年5月20日 10:40 前回电。"
    )
    assert [t.version for t in store.find_reply_template_versions("b-jam")] == [1, 2]
    again = KnowledgeBase(clock=desk.clock, templates=store)  # another process on the same data
    assert again.replies.get("b-jam") == kb.replies.get("b-jam")


def test_the_api_suggests_rendered_replies_for_a_ticket(tmp_path: Any) -> None:
    pytest.importorskip("fastapi", reason="the api extra")
    import httpx

    from aftersales.api import create_app
    from aftersales.api.local import LocalServer

    with SQLiteStore(tmp_path / "desk.db") as sqlite:
        desk = ServiceDesk(sqlite, clock=FixedClock(FRIDAY), sla=POLICY)
        _open(desk)
        _suggestion_world(KnowledgeBase(sqlite, clock=desk.clock).replies)
        with LocalServer(create_app(desk)) as running, httpx.Client(base_url=running.url) as http:
            response = http.get("/knowledge/replies", params={"ticket_id": "T1", "limit": 2})
            assert response.status_code == 200, response.text
            items = response.json()["items"]
            assert [i["template"]["code"] for i in items] == ["a-exact", "b-jam"]
            assert items[0]["reply"] == {
                "code": "a-exact",
                "version": 1,
                "language": "zh",
                "title": "a-exact",
                "text": "电话回访话术",
                "ticket_id": "T1",
            }
            assert http.get("/knowledge/replies", params={"ticket_id": "T404"}).status_code == 404
            assert (
                http.get(
                    "/knowledge/replies", params={"ticket_id": "T1", "language": "fr"}
                ).status_code
                == 422
            )
            schema = http.get("/openapi.json").json()["components"]["schemas"]
            assert "aftersales.api.ReplySuggestions" in schema


# -- for all templates and tickets --------------------------------------------------------------

_PIECES = st.one_of(
    st.sampled_from([f"{{{name}}}" for name in PLACEHOLDERS]),
    st.text(
        alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=12
    ),
    st.sampled_from(["{{", "}}", "您好,", " 138", "1234", "5678 ", "@", "example.com", "."]),
)


def _bodies() -> st.SearchStrategy[str]:
    def usable(text: str) -> bool:
        try:
            template(text)
        except InvalidData:
            return False
        return True

    return st.lists(_PIECES, min_size=1, max_size=12).map("".join).filter(usable)


def _leaking(ticket: Ticket, where: str) -> Ticket:
    """``ticket`` replayed with its contact's phone and e-mail written into one of its texts."""
    contact = ticket.contact
    raw = " ".join(v for v in (contact.phone, contact.email) if v) if contact else ""
    opened = ticket.history[0]
    assert isinstance(opened, TicketOpened)
    changed = {
        "customer_name": {"customer_name": f"{opened.customer_name} {raw}"},
        "handler": {"handler": f"王工 {raw}"},
        "product": {
            "purchase": None
            if opened.purchase is None
            else attrs.evolve(opened.purchase, product=Product(f"X{raw}", name=None))
        },
    }[where]
    return Ticket.replay([attrs.evolve(opened, **changed), *ticket.history[1:]])


@settings(
    max_examples=examples(2.0),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    ticket=tickets(max_events=12),
    body=_bodies(),
    language=st.sampled_from(["zh", "en"]),
    leak=st.sampled_from([None, "customer_name", "handler", "product"]),
    due=st.none() | st.datetimes(min_value=pendulum.datetime(2000, 1, 1).naive(), max_value=pendulum.datetime(2100, 1, 1).naive()),
    tz=st.sampled_from([None, TZ, "America/New_York", "UTC"]),
)  # fmt: skip
def test_rendering_any_template_for_any_ticket_never_raises_nor_shows_a_contact(
    ticket: Ticket, body: str, language: str, leak: str | None, due: Any, tz: str | None
) -> None:
    if leak is not None:
        ticket = _leaking(ticket, leak)
    due_at = None if due is None else pendulum.instance(due, tz="UTC")
    reply = render_reply(template(body, language=language), ticket, due_at=due_at, tz=tz)
    contact = ticket.contact
    for raw in (contact.phone, contact.email) if contact else ():
        if raw:
            assert raw not in reply.text
    assert MaskingPolicy().text(reply.text) == reply.text  # no mobile number or address left
    assert (reply.version, reply.ticket_id, reply.language) == (1, ticket.id, language)
