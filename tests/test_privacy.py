"""Contacts (phone, e-mail) never show unmasked in a repr, a str, an error or a log.

The tables list every value that holds a contact and every error path that
names a refused phone or e-mail; against the code before the masking policy,
11 of the 14 views and 17 of the 18 errors showed the full phone or e-mail.
The stored form keeps the full values: it is the data, not a view of it.
"""

from __future__ import annotations

import ast
import logging
import re
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    AftersalesError,
    Channel,
    FixedClock,
    InvalidData,
    MaskingPolicy,
    PhoneRule,
    Priority,
    ProblemCategory,
    ServiceDesk,
    SlaPolicy,
    UnknownValue,
    WorkCalendar,
    set_default_masking,
)
from aftersales.model import Contact, Customer, Ticket, TicketOpened, default_masking
from aftersales.serialization import from_dict, from_json, to_dict, to_json
from aftersales.service.archive import ArchiveContact, customer_archive
from aftersales.storage import MemoryStore
from aftersales.testing.strategies import contacts
from aftersales.warranty import warranty_status
from tests.helpers import START, open_sample, run_command

PHONE = "13812345678"
EMAIL = "zhang.san@example.com"
RAW = (PHONE, EMAIL, "zhang.san")
# Written by hand from the rule (first 3 and last 4 digits; first character of the local part).
MASKED_PHONE = "138****5678"
MASKED_EMAIL = "z********@example.com"
AT = pendulum.datetime(2024, 5, 10, 15, 0, tz="Asia/Shanghai")

CONTACT = Contact(name="张先生", phone=PHONE, email=EMAIL, role="行政主管")
CUSTOMER = Customer(id="C202405001", name="XX科技有限公司", contacts=(CONTACT,))
OPENED = TicketOpened(
    ticket_id="T1",
    seq=1,
    at=AT,
    by="李工",
    customer_id=CUSTOMER.id,
    customer_name=CUSTOMER.name,
    contact=CONTACT,
    channel=Channel.PHONE,
    category=ProblemCategory.PRODUCT_QUALITY,
    occurred_at=AT.subtract(minutes=30),
    description="开机后频繁死机",
    priority=Priority.URGENT,
)
TICKET = Ticket.replay([OPENED])


def _store() -> MemoryStore:
    store = MemoryStore()
    store.save_customer(CUSTOMER)
    store.save(TICKET, expected_version=0)
    return store


# (view, the text it shows, the masked forms it must show)
VIEWS: list[tuple[str, Callable[[], str], tuple[str, ...]]] = [
    ("repr(Contact)", lambda: repr(CONTACT), (MASKED_PHONE, MASKED_EMAIL)),
    ("str(Contact)", lambda: str(CONTACT), (MASKED_PHONE, MASKED_EMAIL)),
    ("repr(Customer)", lambda: repr(CUSTOMER), (MASKED_PHONE, MASKED_EMAIL)),
    ("str(Customer)", lambda: f"{CUSTOMER}", (MASKED_PHONE, MASKED_EMAIL)),
    ("repr(TicketOpened)", lambda: repr(OPENED), (MASKED_PHONE, MASKED_EMAIL)),
    ("str(TicketOpened)", lambda: str(OPENED), (MASKED_PHONE, MASKED_EMAIL)),
    ("repr(Ticket)", lambda: repr(TICKET), (MASKED_PHONE, MASKED_EMAIL)),
    ("str(Ticket)", lambda: str(TICKET), (MASKED_PHONE, MASKED_EMAIL)),
    ("repr(Ticket.history)", lambda: repr(TICKET.history), (MASKED_PHONE, MASKED_EMAIL)),
    ("repr(MaskedContact)", lambda: repr(CONTACT.masked()), (MASKED_PHONE, MASKED_EMAIL)),
    (
        "repr(ArchiveContact, revealed)",
        lambda: repr(ArchiveContact.of(CONTACT, reveal=True)),
        (MASKED_PHONE, MASKED_EMAIL),
    ),
    (
        "repr(ArchiveContact, masked)",
        lambda: repr(ArchiveContact.of(CONTACT, reveal=False)),
        (MASKED_PHONE, MASKED_EMAIL),
    ),
    (
        "repr(CustomerArchive, revealed)",
        lambda: repr(customer_archive(_store(), CUSTOMER.id, reveal_contacts=True)),
        (MASKED_PHONE, MASKED_EMAIL),
    ),
    (
        "repr(CustomerArchive, masked)",
        lambda: repr(customer_archive(_store(), CUSTOMER.id)),
        (MASKED_PHONE, MASKED_EMAIL),
    ),
]


@pytest.mark.parametrize(("view", "shown", "masked"), VIEWS, ids=[v[0] for v in VIEWS])
def test_views_show_contacts_masked(
    view: str, shown: Callable[[], str], masked: tuple[str, ...]
) -> None:
    text = shown()
    assert not [raw for raw in RAW if raw in text], text
    assert all(form in text for form in masked), text


def _contact_data(**fields: Any) -> dict[str, Any]:
    return {"name": "张先生", "phone": None, "email": None, "role": None} | (fields)


def _ticket_data(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = to_dict(TICKET)
    change(data)
    return data


def _set(path: tuple[Any, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _open_for(customer: object) -> object:
    desk = ServiceDesk()
    return desk.open_ticket(
        customer=customer,  # type: ignore[arg-type]
        channel="phone",
        category="product_quality",
        description="黑屏",
        occurred_at=AT,
        at=AT.add(minutes=5),
        by="李工",
    )


def _save_customer_dict() -> None:
    MemoryStore().save_customer(to_dict(CUSTOMER))  # type: ignore[arg-type]


# (case, a call that is refused, the masked forms its message must show)
ERRORS: list[tuple[str, Callable[[], object], tuple[str, ...]]] = [
    (
        "Contact: phone with a letter",
        lambda: Contact(name="张", phone=PHONE + "x"),
        (MASKED_PHONE,),
    ),
    ("Contact: phone as an int", lambda: Contact(name="张", phone=int(PHONE)), (MASKED_PHONE,)),  # type: ignore[arg-type]
    (
        "Contact: e-mail without a top-level domain",
        lambda: Contact(name="张", email="zhang.san@example"),
        ("z********@example",),
    ),
    ("Contact: e-mail in a list", lambda: Contact(name="张", email=[EMAIL]), ()),  # type: ignore[arg-type]
    (
        "Contact: three bad fields at once",
        lambda: Contact(name=" ", phone=PHONE + "x", email="zhang.san@@example.com"),
        (MASKED_PHONE, "z********@"),
    ),
    (
        "from_dict(Contact): phone as a number",
        lambda: from_dict(Contact, {"schema_version": 1, **_contact_data(phone=int(PHONE))}),
        (MASKED_PHONE,),
    ),
    (
        "from_dict(Contact): phone with a letter",
        lambda: from_dict(Contact, {"schema_version": 1, **_contact_data(phone=PHONE + "x")}),
        (MASKED_PHONE,),
    ),
    (
        "from_json(Contact): e-mail as a number, phone with a letter",
        lambda: from_json(
            Contact, f'{{"schema_version": 1, "name": "张", "phone": "{PHONE}x", "email": 5}}'
        ),
        (MASKED_PHONE,),
    ),
    (
        "from_dict(Customer): a contact's bad e-mail",
        lambda: from_dict(
            Customer,
            to_dict(CUSTOMER) | {"contacts": [_contact_data(email="zhang.san@example")]},
        ),
        ("z********@example",),
    ),
    (
        "from_dict(Ticket): contact disagreeing with the history",
        lambda: from_dict(Ticket, _ticket_data(_set(("contact", "phone"), "13900001111"))),
        (),
    ),
    (
        "from_dict(Ticket): a bad phone in the history",
        lambda: from_dict(
            Ticket, _ticket_data(_set(("history", 0, "contact", "phone"), PHONE + "x"))
        ),
        (MASKED_PHONE,),
    ),
    (
        "TicketOpened: contact given as a dict",
        lambda: TicketOpened(
            **{
                **{f: getattr(OPENED, f) for f in ("ticket_id", "seq", "at", "by")},
                "customer_id": "C1",
                "customer_name": "甲",
                "channel": "phone",
                "category": "product_quality",
                "occurred_at": AT,
                "description": "黑屏",
                "priority": "urgent",
                "contact": {"name": "张先生", "phone": PHONE, "email": EMAIL},
            }
        ),
        (),
    ),
    (
        "Customer: a contact given as a dict",
        lambda: Customer(id="C1", name="甲", contacts=[{"name": "张", "phone": PHONE}]),  # type: ignore[arg-type]
        (),
    ),
    (
        "Customer: contacts given as a phone",
        lambda: Customer(id="C1", name="甲", contacts=PHONE),  # type: ignore[arg-type]
        (),
    ),
    ("MemoryStore.save_customer: a dict", _save_customer_dict, ()),
    ("ServiceDesk.open_ticket: a Contact as customer", lambda: _open_for(CONTACT), ()),
    ("Ticket.replay: a Contact as event", lambda: Ticket.replay([CONTACT]), ()),  # type: ignore[list-item]
    ("warranty_status: a ticket dict", lambda: warranty_status(to_dict(TICKET), AT), ()),  # type: ignore[arg-type]
]


def _everything_shown(error: BaseException) -> str:
    """What a log of the error shows (source lines aside): message, repr, problems, notes, causes."""
    problems = getattr(error, "problems", ())
    return "\n".join(
        [str(error), repr(error), repr(problems), *traceback.format_exception(error, limit=0)]
    )


@pytest.mark.parametrize(("case", "call", "masked"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_name_contacts_masked(
    case: str, call: Callable[[], object], masked: tuple[str, ...]
) -> None:
    with pytest.raises(AftersalesError) as raised:
        call()
    text = _everything_shown(raised.value)
    assert not [raw for raw in (*RAW, "13900001111") if raw in text], text
    assert all(form in str(raised.value) for form in masked), str(raised.value)


# -- the stored form, equality and hashing keep the full values -----------------------------


@given(contacts())
def test_the_stored_form_keeps_the_full_contact(contact: Contact) -> None:
    data = to_dict(contact)
    assert (data["phone"], data["email"]) == (contact.phone, contact.email)
    assert from_json(Contact, to_json(contact)) == contact


def test_a_ticket_round_trip_keeps_the_full_contact() -> None:
    again = from_json(Ticket, to_json(TICKET))
    assert again == TICKET
    assert again.contact is not None
    assert (again.contact.phone, again.contact.email) == (PHONE, EMAIL)
    assert PHONE in to_json(TICKET)


def test_contacts_masked_alike_stay_different() -> None:
    other = Contact(name="张先生", phone="13899995678", email=EMAIL, role="行政主管")
    assert repr(other) == repr(CONTACT)  # both 138****5678
    assert other != CONTACT
    assert len({other, CONTACT}) == 2


# -- properties over generated phone numbers and e-mail addresses ---------------------------

MOBILES = st.from_regex(r"\A1[3-9][0-9]{9}\Z")
PHONES = st.one_of(
    MOBILES,
    MOBILES.map(lambda m: f"{m[:3]}-{m[3:7]}-{m[7:]}"),
    MOBILES.map(lambda m: f"+86 {m[:3]} {m[3:7]} {m[7:]}"),
    st.from_regex(r"\A0[1-9][0-9]{1,2}-[1-9][0-9]{6,7}\Z"),  # landlines
    st.from_regex(r"\A[1-9][0-9]{4,9}\Z"),  # service and extension numbers, 5-10 digits
    st.from_regex(r"\A[1-9][0-9]{11,23}\Z"),  # long: country codes, extensions, two numbers
)
EMAILS = st.from_regex(r"\A[a-z][a-z0-9._]{0,15}@[a-z0-9]{1,10}\.(com|cn|net)\Z")
NOT_IN_A_PHONE = st.sampled_from(list("xX#/*.()?@") + ["１", "ｘ", "\n"])


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def _expected_phone(phone: str) -> str:
    """The default rule, from its description: first 3 (to 5) and last 4 digits of 11+, last 4 else."""
    plus = "+" if phone.startswith("+") else ""
    digits = _digits(phone)
    if len(digits) >= 11:
        head = 3 + min(len(digits) - 11, 2)
        return plus + digits[:head] + "*" * (len(digits) - head - 4) + digits[-4:]
    return plus + "*" * (len(digits) - 4) + digits[-4:]


def _expected_email(email: str) -> str:
    local, domain = email.split("@")
    first = local[0] if len(local) > 1 else "*"
    return first + "*" * (len(local) - 1) + "@" + domain


def _shown_views(contact: Contact) -> list[str]:
    customer = Customer(id="C1", name="甲公司", contacts=(contact,))
    opened = attrs.evolve(OPENED, contact=contact)
    return [
        repr(contact),
        str(contact),
        repr(customer),
        repr(opened),
        repr(Ticket.replay([opened])),
    ]


@given(PHONES, EMAILS)
def test_views_never_show_a_generated_contact_in_full(phone: str, email: str) -> None:
    contact = Contact(name="张先生", phone=phone, email=email)
    for text in _shown_views(contact):
        assert phone not in text
        assert _digits(phone) not in text
        assert email not in text
        shown = re.search(r"phone='([^']*)', email='([^']*)'", text)
        assert shown is not None, text
        assert shown.group(1) == _expected_phone(phone)
        assert shown.group(1).endswith(_digits(phone)[-4:])  # the last four digits show
        assert shown.group(2) == _expected_email(email)


def _error_text(call: Callable[[], object]) -> tuple[str, str]:
    with pytest.raises(InvalidData) as raised:
        call()
    return str(raised.value), _everything_shown(raised.value)


def _masked_value(message: str) -> str:
    """The masked value a message quotes (``'138****5678?' (masked)``), unescaped."""
    found = re.search(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*") \(masked\)""", message)
    assert found is not None, message
    value = ast.literal_eval(found.group(1))
    assert isinstance(value, str)
    return value


@given(PHONES, st.integers(min_value=0), NOT_IN_A_PHONE)
def test_a_refused_phone_is_named_masked_with_its_last_four_digits(
    phone: str, where: int, bad: str
) -> None:
    where %= len(phone) + 1
    refused = phone[:where] + bad + phone[where:]
    message, everything = _error_text(lambda: Contact(name="张", phone=refused))
    assert refused not in everything
    assert _digits(phone) not in everything
    shown = _masked_value(message)
    assert len(shown) == len(refused)
    assert _digits(shown) != _digits(phone)  # something is hidden
    assert _digits(shown).endswith(_digits(phone)[-4:])  # the last four digits show
    assert "accepted: " in message
    assert "digits, spaces and '-', optionally after a '+'" in message


@given(st.one_of(MOBILES.map(int), st.integers(min_value=10**6, max_value=10**15)))
def test_a_phone_given_as_a_number_is_named_masked(number: int) -> None:
    for call in (
        lambda: Contact(name="张", phone=number),  # type: ignore[arg-type]
        lambda: from_dict(Contact, {"schema_version": 1, **_contact_data(phone=number)}),
    ):
        message, everything = _error_text(call)
        assert str(number) not in everything
        assert f"the number {_expected_phone(str(number))}" in message


def _broken_emails(email: str) -> st.SearchStrategy[str]:
    local, domain = email.split("@")
    return st.sampled_from(
        [
            local + domain,  # no @
            f"{local}@{domain.split('.')[0]}",  # no top-level domain
            f"{local}@@{domain}",
            f"{local} @{domain}",
            f"{local}@{domain} ",
            f"{local}@{domain}\n",
        ]
    )


@given(EMAILS.flatmap(_broken_emails))
def test_a_refused_email_is_named_masked(refused: str) -> None:
    message, everything = _error_text(lambda: Contact(name="张", email=refused))
    assert refused not in everything
    local = refused.partition("@")[0]
    shown = _masked_value(message)
    assert len(shown) == len(refused)
    assert shown.startswith(local[0] if len(local) > 1 else "*")
    assert "*" in shown
    assert "accepted: name@domain.tld" in message
    with pytest.raises(InvalidData) as raised:
        from_dict(Contact, {"schema_version": 1, **_contact_data(email=refused)})
    assert refused not in _everything_shown(raised.value)


# -- the masking policy -------------------------------------------------------------------


def test_the_policy_rules_on_the_template_examples() -> None:
    assert MaskingPolicy().phone(PHONE) == "138****5678"
    assert MaskingPolicy().phone("+86 138 1234 5678") == "+86138****5678"
    assert MaskingPolicy().phone("13812345678 13987654321") == "13812*************4321"
    assert MaskingPolicy(phone_rule=PhoneRule.HIDE_LAST_FOUR).phone(PHONE) == "1381234****"
    by_name = MaskingPolicy(phone_rule="hide_last_four")  # type: ignore[arg-type]
    assert by_name.phone("010-6543-2100") == "0106543****"
    assert MaskingPolicy().email(EMAIL) == "z********@example.com"
    assert MaskingPolicy(email_visible=3).email(EMAIL) == "zha******@example.com"
    assert MaskingPolicy(email_visible=0).email(EMAIL) == "*********@example.com"
    assert MaskingPolicy(email_visible=9).email("ab@x.cn") == "a*@x.cn"


@given(st.sampled_from(PhoneRule), st.from_regex(r"\A\+?[0-9]{1,20}\Z"))
def test_every_rule_hides_some_digits_and_keeps_the_length(rule: PhoneRule, phone: str) -> None:
    masked = MaskingPolicy(phone_rule=rule).phone(phone)
    digits = _digits(phone)
    assert len(masked) == len(phone)
    assert "*" in masked or not digits
    assert masked != phone
    if len(digits) <= 4:
        assert _digits(masked) == ""
    elif rule is PhoneRule.HIDE_LAST_FOUR:
        assert masked.endswith("****")
        assert _digits(masked) == digits[:-4]
    else:
        assert masked == _expected_phone(phone)


@given(st.integers(min_value=0, max_value=64), EMAILS)
def test_the_email_rule_never_shows_a_whole_local_part(visible: int, email: str) -> None:
    masked = MaskingPolicy(email_visible=visible).email(email)
    local, domain = email.split("@")
    kept = min(visible, len(local) - 1)
    assert masked == local[:kept] + "*" * (len(local) - kept) + "@" + domain


def test_a_bad_policy_is_refused_with_what_is_accepted() -> None:
    with pytest.raises(UnknownValue, match=r"phone_rule: 'hide_first' .*'keep_ends'"):
        MaskingPolicy(phone_rule="hide_first")  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match="email_visible: -1 is out of range"):
        MaskingPolicy(email_visible=-1)
    with pytest.raises(InvalidData, match="policy: str is not a MaskingPolicy"):
        CONTACT.masked("keep_ends")  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match="policy: NoneType is not a MaskingPolicy"):
        set_default_masking(None)  # type: ignore[arg-type]
    assert default_masking() == MaskingPolicy()


def test_views_built_on_request_take_the_policy() -> None:
    last_four = MaskingPolicy(phone_rule=PhoneRule.HIDE_LAST_FOUR, email_visible=0)
    assert CONTACT.masked(last_four).phone == "1381234****"
    assert CONTACT.masked(last_four).email == "*********@example.com"
    archive = customer_archive(_store(), CUSTOMER.id, masking=last_four)
    assert (archive.contacts[0].phone, archive.contacts[0].email) == (
        "1381234****",
        "*********@example.com",
    )
    assert CONTACT.masked().phone == "138****5678"  # the default is untouched


@pytest.fixture
def last_four_by_default() -> Iterator[MaskingPolicy]:
    policy = MaskingPolicy(phone_rule=PhoneRule.HIDE_LAST_FOUR)
    previous = set_default_masking(policy)
    try:
        yield policy
    finally:
        set_default_masking(previous)


def test_the_process_default_applies_to_reprs_errors_and_views(
    last_four_by_default: MaskingPolicy,
) -> None:
    assert default_masking() is last_four_by_default
    assert "phone='1381234****'" in repr(TICKET)
    assert CONTACT.masked().phone == "1381234****"
    assert ArchiveContact.of(CONTACT, reveal=False).phone == "1381234****"
    with pytest.raises(InvalidData, match=re.escape("'1381234****?' (masked)")):
        Contact(name="张", phone=PHONE + "x")


def test_a_masked_number_given_back_is_refused_as_such() -> None:
    with pytest.raises(InvalidData, match="looks masked; accepted: the full number") as raised:
        Contact(name="张", phone=MASKED_PHONE)
    assert "'***????5678' (masked)" in str(raised.value)


# -- logs -----------------------------------------------------------------------------------

LIFECYCLE = [
    "acknowledge",
    "record_analysis",
    "escalate",
    "assign",
    "change_priority",
    "add_note",
    "record_contact",
    "propose_solution",
    "record_dispute",
    "propose_solution",
    "record_agreement",
    "book_onsite_visit",
    "record_progress",
    "finish_execution",
    "record_sla_warning",
]


def test_no_log_record_carries_a_contact(caplog: pytest.LogCaptureFixture) -> None:
    # a calendar without data for the year makes the desk log a warning per command
    calendar = WorkCalendar(
        "Asia/Shanghai",
        week={day: [("09:00", "18:00")] for day in ("mon", "tue", "wed", "thu", "fri")},
        covered_years=[2020],
    )
    store = MemoryStore()
    store.save_customer(CUSTOMER)
    desk = ServiceDesk(store, clock=FixedClock(START), sla=SlaPolicy.default(calendar))
    caplog.set_level(logging.DEBUG)
    open_sample(desk, "T1", customer=CUSTOMER)
    for command in LIFECYCLE:
        run_command(desk, "T1", command)
    run_command(desk, "T1", "record_visit", visit_closes=False)
    for command in ("propose_solution", "record_agreement", "finish_execution", "record_visit"):
        run_command(desk, "T1", command)
    run_command(desk, "T1", "reopen")
    run_command(desk, "T1", "cancel")
    ticket = desk.get("T1")
    assert ticket.contact == CONTACT
    customer_archive(store, CUSTOMER.id, reveal_contacts=True)
    from_json(Ticket, to_json(ticket))
    with pytest.raises(InvalidData):
        Contact(name="张", phone=PHONE + "x")
    assert any(r.name.startswith("aftersales.") for r in caplog.records)  # the logs were written
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert not [raw for raw in RAW if raw in logged]
