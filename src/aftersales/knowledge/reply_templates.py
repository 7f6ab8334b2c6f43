"""Reply templates (话术): stored, versioned reply texts with placeholders, by category and channel.

A :class:`ReplyTemplate` is what an after-sales specialist sends a customer
again and again ("您好 {customer_name},您反馈的问题(工单 {ticket_id})我们已受理,
将于 {due_at} 前给您答复。"), kept under a stable ``code``. Every change is a
new version (:meth:`ReplyTemplate.revise`, :meth:`ReplyTemplate.retire`); a
store keeps them all.

**Placeholders.** A body names a value of the ticket in braces:
``{customer_name}``, ``{ticket_id}``, ``{due_at}``, ``{handler}`` and
``{product}`` (:data:`PLACEHOLDERS`); ``{{`` and ``}}`` write a literal brace.
Nothing else is a placeholder: an unknown name, a positional ``{}``, an
attribute or index (``{ticket_id.__class__}``, ``{handler[0]}``), a format
spec or a conversion (``{due_at:%Y}``, ``{handler!r}``) and an unpaired brace
are refused when the template is built, naming the offender and the accepted
names. The syntax is the braces of :meth:`str.format`, parsed with
:class:`string.Formatter` but never handed to ``format``: the renderer
(:mod:`aftersales.knowledge.replies`) substitutes the parsed names itself, so a
template cannot reach any attribute of anything. Jinja2's sandbox would be the
alternative, but Jinja2 is not a dependency of ``aftersales`` nor of any of
its extras (the ``report`` extra is pygal only), and five names do not need a
template language.

**No contact in a template.** No placeholder gives a phone number or an e-mail
address, and a title or body that writes a mainland mobile number or an e-mail
address (as :meth:`~aftersales.model.masking.MaskingPolicy.text` recognises
them) is refused: a customer's contact typed into a shared reply would go to
every customer. A hotline (``400-820-8820``) or a landline is not a mobile
number and is kept.

Example:
    >>> import pendulum
    >>> template = ReplyTemplate(
    ...     code="ack-quality", title="受理确认", language="zh", category="product_quality",
    ...     body="您好 {customer_name},工单 {ticket_id} 已受理,我们将于 {due_at} 前回复您。",
    ...     author="王经理", updated_at=pendulum.datetime(2024, 5, 20, 9, tz="Asia/Shanghai"))
    >>> template.placeholders, template.version
    (('customer_name', 'ticket_id', 'due_at'), 1)
    >>> template.revise(by="王经理", at=template.updated_at, body="您好 {customer_phone}")
    Traceback (most recent call last):
    ...
    aftersales.errors.UnknownValue: body: '{customer_phone}' is not a known value; accepted: '{customer_name}', '{ticket_id}', '{due_at}', '{handler}', '{product}'
"""

from __future__ import annotations

import string
from datetime import datetime
from typing import Any, ClassVar, Final, Literal

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData, UnknownValue
from aftersales.model.masking import MaskingPolicy
from aftersales.vocab import Channel, ProblemCategory

__all__ = [
    "LANGUAGES",
    "PLACEHOLDERS",
    "REVISABLE_TEMPLATE_FIELDS",
    "ReplyTemplate",
    "placeholders_of",
]

#: The placeholders a body may name, and what each gives (see :mod:`aftersales.knowledge.replies`).
PLACEHOLDERS: Final = {
    "customer_name": "the customer's name (客户名称)",
    "ticket_id": "the ticket's id (工单号)",
    "due_at": "the ticket's next SLA due time, in the SLA calendar's zone (承诺时间)",
    "handler": "who handles the ticket: its assignee, else its first handler (处理人)",
    "product": "the product: its name, else its model (产品)",
}

#: The languages a template is written in.
LANGUAGES: Final = ("zh", "en")

#: The fields :meth:`ReplyTemplate.revise` may change.
REVISABLE_TEMPLATE_FIELDS: Final = ("title", "body", "language", "category", "channel", "retired")

_ACCEPTED_NAMES = [f"{{{name}}}" for name in PLACEHOLDERS]
_BRACES = "write {{ and }} for a literal brace"
_FORMATTER = string.Formatter()
_DETECTOR = MaskingPolicy()


def placeholders_of(body: str, name: str = "body") -> tuple[str, ...]:
    """The placeholder names ``body`` uses, in order of first use; refused unless all are known.

    ``InvalidData`` (``UnknownValue`` for an unknown name) naming ``name``, the
    offending placeholder and the accepted ones.

    Example:
        >>> placeholders_of("{customer_name} 您好,{{示例}} 工单 {ticket_id}")
        ('customer_name', 'ticket_id')
        >>> placeholders_of("{due_at:%Y-%m-%d}")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: body: '{due_at:%Y-%m-%d}' has a format spec or a conversion; accepted: a bare name such as '{due_at}' (the format is the template's language's)
    """
    try:
        parsed = list(_FORMATTER.parse(body))
    except ValueError as error:
        message = f"{shown(body)} has an unpaired brace ({error}); accepted: {{name}} placeholders, {_BRACES}"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)]) from None
    found: dict[str, None] = {}
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        written = (
            "{"
            + field
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
        )
        if spec or conversion:
            message = (
                f"{shown(written)} has a format spec or a conversion; accepted: a bare name such"
                " as '{due_at}' (the format is the template's language's)"
            )
            raise InvalidData(f"{name}: {message}", problems=[(name, message)])
        if field not in PLACEHOLDERS:
            raise UnknownValue(name, written, _ACCEPTED_NAMES)
        found[field] = None
    return tuple(found)


def _no_contact(value: Any, name: str) -> str:
    """``value`` as a text that writes no mobile number and no e-mail address."""
    text: str = check.text(value, name)
    masked = _DETECTOR.text(text)
    if masked != text:
        start = next((i for i, (a, b) in enumerate(zip(text, masked, strict=False)) if a != b), 0)
        excerpt = masked[max(0, start - 12) : start + 24]
        message = (
            f"writes a mobile number or an e-mail address ({shown(excerpt)}, masked here);"
            " accepted: a text without personal contacts (a hotline such as 400-820-8820 is"
            " fine; no placeholder gives a customer's contact)"
        )
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return text


def _body(value: Any, name: str) -> str:
    text = _no_contact(value, name)
    placeholders_of(text, name)
    return text


@attrs.frozen(slots=True, kw_only=True)
class ReplyTemplate:
    """One version of a reply template: its text with placeholders, where it applies, who wrote it.

    ``category`` (a problem category) and ``channel`` say which tickets it
    suits; ``None`` suits every category or channel. ``language`` is ``"zh"``
    or ``"en"`` (it picks the due time's format). ``version`` grows by one
    with every change, ``author`` and ``updated_at`` are who made this version
    and when; a ``retired`` template is kept but no longer suggested.

    Example:
        >>> import pendulum
        >>> t = ReplyTemplate(code="visit-en", title="Return visit", language="en",
        ...     body="Dear {customer_name}, how is your {product} working?", author="Li",
        ...     updated_at=pendulum.datetime(2024, 5, 20, tz="UTC"))
        >>> t.retire(by="Wang", at=t.updated_at).version
        2
        >>> ReplyTemplate(code="x", title="t", body="请拨打 13812345678", author="李",
        ...     updated_at=t.updated_at)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: body: writes a mobile number or an e-mail address ('请拨打 138****5678', masked here); accepted: a text without personal contacts (a hotline such as 400-820-8820 is fine; no placeholder gives a customer's contact)
    """

    code: str
    title: str
    body: str
    author: str
    updated_at: pendulum.DateTime
    language: Literal["zh", "en"] = "zh"
    category: ProblemCategory | None = None
    channel: Channel | None = None
    version: int = 1
    retired: bool = False

    _checks: ClassVar[check.Checks] = (
        ("code", check.identifier),
        ("title", _no_contact),
        ("body", _body),
        ("author", check.text),
        ("updated_at", check.aware),
        ("language", check.member_of(LANGUAGES)),
        ("category", check.optional(check.term(ProblemCategory))),
        ("channel", check.optional(check.term(Channel))),
        ("version", check.integer(1)),
        ("retired", check.flag),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The placeholder names the body uses, in order of first use."""
        return placeholders_of(self.body)

    def search_text(self) -> tuple[str, str]:
        """What a search index reads: ``(title, body without its placeholders)``.

        Example:
            >>> import pendulum
            >>> ReplyTemplate(code="t", title="退货说明", body="{customer_name}您好,退货请寄回。",
            ...     author="a", updated_at=pendulum.datetime(2024, 5, 20, tz="UTC")).search_text()
            ('退货说明', '您好,退货请寄回。')
        """
        literal = "".join(part for part, _, _, _ in _FORMATTER.parse(self.body))
        return self.title, literal

    def applies_to(self, category: str | None, channel: str | None) -> bool:
        """True when the template suits a ticket of ``category`` and ``channel`` (codes).

        Example:
            >>> import pendulum
            >>> t = ReplyTemplate(code="t", title="t", body="b", author="a", category="consultation",
            ...     updated_at=pendulum.datetime(2024, 5, 20, tz="UTC"))
            >>> t.applies_to("consultation", "phone"), t.applies_to("product_quality", "phone")
            (True, False)
        """
        return (self.category is None or self.category.code == category) and (
            self.channel is None or self.channel.code == channel
        )

    def revise(self, *, by: str, at: datetime, **changes: Any) -> ReplyTemplate:
        """The next version, with some of :data:`REVISABLE_TEMPLATE_FIELDS` changed.

        ``InvalidData`` for a field that cannot be revised, for changes that
        change nothing, and for an ``at`` before this version's ``updated_at``.

        Example:
            >>> import pendulum
            >>> t = ReplyTemplate(code="t", title="t", body="b", author="a",
            ...     updated_at=pendulum.datetime(2024, 5, 20, tz="UTC"))
            >>> t.revise(by="王", at=t.updated_at, body="b")
            Traceback (most recent call last):
            ...
            aftersales.errors.InvalidData: changes: body changes nothing; accepted: a new value of title, body, language, category, channel or retired
        """
        unknown = [name for name in changes if name not in REVISABLE_TEMPLATE_FIELDS]
        if unknown:
            message = f"cannot be revised; accepted: {', '.join(REVISABLE_TEMPLATE_FIELDS)}"
            raise InvalidData.from_problems([(name, message) for name in unknown])
        check.run_checks_on({"by": (by, check.text), "at": (at, check.aware)})
        stamp = check.aware(at, "at")
        if stamp < self.updated_at:
            message = (
                f"{stamp.isoformat()} is before version {self.version} of"
                f" {self.updated_at.isoformat()}; accepted: that time or later"
            )
            raise InvalidData(f"at: {message}", problems=[("at", message)])
        revised = attrs.evolve(
            self, version=self.version + 1, author=by, updated_at=stamp, **changes
        )
        if _content(revised) == _content(self):
            named = ", ".join(changes) or "nothing"
            accepted = ", ".join(REVISABLE_TEMPLATE_FIELDS[:-1]) + " or retired"
            message = f"{named} changes nothing; accepted: a new value of {accepted}"
            raise InvalidData(f"changes: {message}", problems=[("changes", message)])
        return revised

    def retire(self, *, by: str, at: datetime) -> ReplyTemplate:
        """The next version, retired: kept and readable, no longer suggested."""
        return self.revise(by=by, at=at, retired=True)


def _content(template: ReplyTemplate) -> tuple[Any, ...]:
    """What a revision may change, comparable (terms by code)."""
    return (
        template.title,
        template.body,
        template.language,
        None if template.category is None else template.category.code,
        None if template.channel is None else template.channel.code,
        template.retired,
    )
