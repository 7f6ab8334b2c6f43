"""A reply template rendered for one ticket: the placeholders filled in, contacts masked.

:func:`render_reply` fills each placeholder of a
:class:`~aftersales.knowledge.reply_templates.ReplyTemplate` with the ticket's
value, in the template's language:

* ``{customer_name}``: ``ticket.customer_name``;
* ``{ticket_id}``: ``ticket.id``;
* ``{due_at}``: the due time given (the service passes the ticket's next SLA
  due time), in the zone ``tz`` (the service passes its SLA calendar's zone),
  by :func:`format_due_at`: ``2024年5月20日 14:30`` in Chinese,
  ``20 May 2024, 14:30`` in English; the zone is not written. Without a due
  time (no SLA policy, no running clock, a closed ticket): ``待定`` /
  ``to be confirmed``;
* ``{handler}``: the assignee, else the first handler, else ``售后服务专员`` /
  ``our after-sales team``;
* ``{product}``: the product's name, else its model, else ``您的产品`` /
  ``your product``.

Whatever a ticket holds, the rendered text shows no contact unmasked: the
ticket contact's own phone number and e-mail address, and any mainland mobile
number or e-mail address the text comes to hold (a customer name typed with a
number in it), are masked as the public views mask them
(:func:`aftersales.views.masked_texts`). The template itself cannot hold one
(it is refused when built). :class:`RenderedReply` says which template and
which version it came from.

Example:
    >>> import pendulum
    >>> from aftersales.knowledge import ReplyTemplate
    >>> from aftersales.testing.samples import sample_ticket
    >>> template = ReplyTemplate(code="ack", title="受理确认", author="王经理",
    ...     body="{customer_name}您好,工单 {ticket_id} 将于 {due_at} 前处理完毕。",
    ...     updated_at=pendulum.datetime(2024, 5, 1, tz="UTC"))
    >>> due = pendulum.datetime(2024, 5, 20, 6, 30, tz="UTC")
    >>> render_reply(template, sample_ticket(), due_at=due, tz="Asia/Shanghai").text
    'XX科技有限公司您好,工单 T202405001 将于 2024年5月20日 14:30 前处理完毕。'
"""

from __future__ import annotations

import string
from datetime import datetime, tzinfo
from typing import Final

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.calendar.rules import resolve_tz
from aftersales.errors import InvalidData
from aftersales.knowledge.reply_templates import LANGUAGES, ReplyTemplate
from aftersales.model.masking import MaskingPolicy
from aftersales.model.ticket import Ticket
from aftersales.time import ensure_aware
from aftersales.views.tickets import masked_texts

__all__ = ["FALLBACKS", "RenderedReply", "format_due_at", "placeholder_values", "render_reply"]

#: What a placeholder gives when the ticket has no value for it, per language.
FALLBACKS: Final = {
    "due_at": {"zh": "待定", "en": "to be confirmed"},
    "handler": {"zh": "售后服务专员", "en": "our after-sales team"},
    "product": {"zh": "您的产品", "en": "your product"},
}

_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_FORMATTER = string.Formatter()


def format_due_at(at: datetime, language: str) -> str:
    """``at`` as a customer reads it, in ``at``'s own zone: ``zh`` or ``en``.

    Example:
        >>> import pendulum
        >>> at = pendulum.datetime(2024, 9, 3, 9, 5, tz="Asia/Shanghai")
        >>> format_due_at(at, "zh"), format_due_at(at, "en")
        ('2024年9月3日 09:05', '3 September 2024, 09:05')
    """
    local = ensure_aware(at, "at")
    language = check.member_of(LANGUAGES)(language, "language")
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if language == "zh":
        return f"{local.year}年{local.month}月{local.day}日 {clock}"
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}, {clock}"


def placeholder_values(
    ticket: Ticket, language: str, due_at: pendulum.DateTime | None
) -> dict[str, str]:
    """What each placeholder gives for ``ticket`` in ``language`` (``due_at`` already in its zone).

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> placeholder_values(sample_ticket(), "en", None)["due_at"]
        'to be confirmed'
    """
    product = None
    if ticket.purchase is not None:
        product = ticket.purchase.product.name or ticket.purchase.product.model
    handler = ticket.assignee or ticket.handler
    return {
        "customer_name": ticket.customer_name,
        "ticket_id": ticket.id,
        "due_at": FALLBACKS["due_at"][language]
        if due_at is None
        else format_due_at(due_at, language),
        "handler": handler or FALLBACKS["handler"][language],
        "product": product or FALLBACKS["product"][language],
    }


@attrs.frozen(slots=True, kw_only=True)
class RenderedReply:
    """A template rendered for a ticket: the text to send, and the template version it came from.

    Example:
        >>> RenderedReply(code="ack", version=3, language="zh", title="受理确认",
        ...     text="您好", ticket_id="T1").version
        3
    """

    code: str
    version: int
    language: str
    title: str
    text: str
    ticket_id: str


def render_reply(
    template: ReplyTemplate,
    ticket: Ticket,
    *,
    due_at: datetime | None = None,
    tz: str | tzinfo | None = None,
    masking: MaskingPolicy | None = None,
) -> RenderedReply:
    """``template`` rendered for ``ticket``; never raises for a valid template and ticket.

    ``due_at`` (aware, or ``None`` when unknown) is written in the zone ``tz``
    (an IANA name or a zone; default: ``due_at``'s own). ``masking`` is the
    policy contacts are masked with (default: the process default). Every
    argument is checked before anything is rendered (``InvalidData``).

    Example:
        >>> import pendulum
        >>> from aftersales.knowledge import ReplyTemplate
        >>> from aftersales.testing.samples import sample_ticket
        >>> t = ReplyTemplate(code="visit", title="Visit", language="en", author="Li",
        ...     body="Dear {customer_name}, {handler} will call about your {product}.",
        ...     updated_at=pendulum.datetime(2024, 5, 1, tz="UTC"))
        >>> render_reply(t, sample_ticket()).text
        'Dear XX科技有限公司, 李工 will call about your A型智能办公设备.'
    """
    check.run_checks_on(
        {
            "template": (template, check.instance_of(ReplyTemplate)),
            "ticket": (ticket, check.instance_of(Ticket)),
            "due_at": (due_at, check.optional(ensure_aware)),
            "tz": (tz, check.optional(_zone)),
            "masking": (masking, check.optional(check.instance_of(MaskingPolicy))),
        }
    )
    local = None if due_at is None else ensure_aware(due_at, "due_at")
    if local is not None and tz is not None:
        try:
            local = local.in_tz(resolve_tz(tz))
        except OverflowError:
            message = f"{local.isoformat()} cannot be written in {tz}; accepted: a nearer instant"
            raise InvalidData(f"due_at: {message}", problems=[("due_at", message)]) from None
    values = placeholder_values(ticket, template.language, local)
    text = "".join(
        literal + ("" if field is None else values[field])
        for literal, field, _, _ in _FORMATTER.parse(template.body)
    )
    contacts = () if ticket.contact is None else (ticket.contact,)
    return RenderedReply(
        code=template.code,
        version=template.version,
        language=template.language,
        title=masked_texts(template.title, contacts=contacts, masking=masking),
        text=masked_texts(text, contacts=contacts, masking=masking),
        ticket_id=ticket.id,
    )


def _zone(value: object, name: str) -> object:
    try:
        return resolve_tz(value)
    except InvalidData as error:
        message = error.problems[0][1]
        raise InvalidData(f"{name}: {message}", problems=[(name, message)]) from None
