"""The cell formats of the template's single-valued fields: text, ids, times, contacts, purchases, terms.

Each ``read_*`` takes a cell as a file gives it (text, or a number or a real
date from a workbook) and returns the value, or raises
:class:`~aftersales.errors.import_cells.CellError` saying why and what is
accepted; each ``format_*`` writes the value back in the form its reader
reads, so that an exported cell imports to the same value. Local times are in
the import's zone (``Asia/Shanghai`` unless told otherwise), to the minute or
the second; a time that does not exist there (a DST gap) is refused.
Imports: the domain only.

Example:
    >>> context = CellContext()
    >>> read_instant("2024-05-10 14:30", context).isoformat()
    '2024-05-10T14:30:00+08:00'
    >>> read_instant("2024年5月10日 14:30", context) == read_instant("2024/5/10 14:30", context)
    True
    >>> purchase = read_purchase("A型智能办公设备（2024年3月购买）；序列号：SN-A-0001", context)
    >>> purchase.purchased_on, purchase.serial_number
    (datetime.date(2024, 3, 1), 'SN-A-0001')
    >>> format_purchase(purchase)
    'A型智能办公设备（2024-03-01购买）；序列号：SN-A-0001'
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pendulum

from aftersales import _checks as check
from aftersales.errors import InvalidData, UnknownValue
from aftersales.model.product import Product, Purchase
from aftersales.transfer.columns import CellContext
from aftersales.transfer.problems import CellError
from aftersales.vocab import Channel, CloseStatus, Demand, Priority, ProblemCategory, TicketStatus

__all__ = [
    "CLOSE_STATES",
    "INSTANT_FORM",
    "cell_text",
    "format_instant",
    "format_purchase",
    "local_instant",
    "read_category",
    "read_channel",
    "read_close_state",
    "read_contact_info",
    "read_demands",
    "read_id",
    "read_instant",
    "read_priority",
    "read_purchase",
    "read_text",
]

#: How a local time is written, for messages.
INSTANT_FORM = "a local time YYYY-MM-DD HH:MM[:SS] (or YYYY/MM/DD, YYYY年M月D日 HH:MM)"

_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_TIME = r"(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})\s*秒?)?\s*分?"
_ZONE = r"(Z|[+-]\d{2}:?\d{2})"
#: A local time at the start of a text (the rest follows it); an offset is one only where
#: a space or the end follows it (in "09:00 Z0：done" the "Z0" is a name, not UTC).
INSTANT_AT_START = re.compile(rf"{_DATE}(?:\s*[T ]\s*|\s+){_TIME}(?:\s*{_ZONE}(?=\s|$))?")
_DATE_ONLY = re.compile(rf"{_DATE}")


def cell_text(cell: object) -> str:
    """A cell as text, trimmed: numbers without a trailing ``.0``, dates in ISO form.

    Example:
        >>> cell_text(202405001.0), cell_text("  张先生 "), cell_text(None)
        ('202405001', '张先生', '')
    """
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return format_instant(cell)
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def read_text(cell: object, context: CellContext) -> str:
    """A free text (at most 10,000 characters, no NUL).

    Example:
        >>> read_text(" 开机后黑屏 ", CellContext())
        '开机后黑屏'
    """
    text = cell_text(cell)
    try:
        return check.text(text, "cell")
    except InvalidData as error:
        raise CellError(_reason(error), "a text of at most 10,000 characters") from None


def read_id(cell: object, context: CellContext) -> str:
    """An id (customer or ticket): letters, digits and ``_.:-``, 1–64 characters.

    Example:
        >>> read_id("C202405001", CellContext())
        'C202405001'
    """
    text = cell_text(cell)
    try:
        return check.identifier(text, "cell")
    except InvalidData:
        raise CellError("is not an id", "1–64 of A–Z a–z 0–9 _ . : -, e.g. C202405001") from None


def local_instant(parts: tuple[str | None, ...], zone: str | None, tz: str) -> pendulum.DateTime:
    """The instant of the matched date and time ``parts`` (with ``zone`` or in ``tz``)."""
    year, month, day, hour, minute, second = (int(p) if p else 0 for p in parts)
    try:
        if zone is not None:
            offset = "+00:00" if zone == "Z" else zone
            if ":" not in offset:
                offset = f"{offset[:3]}:{offset[3:]}"
            text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{offset}"
            return pendulum.parse(text)  # type: ignore[return-value]
        moment = pendulum.datetime(year, month, day, hour, minute, second, tz=tz)
    except (ValueError, OverflowError):
        raise CellError("is not a valid date and time", INSTANT_FORM) from None
    if (moment.hour, moment.minute, moment.day) != (hour, minute, day):
        raise CellError(f"does not exist in {tz} (the clocks skip it)", INSTANT_FORM)
    return moment


def read_instant(cell: object, context: CellContext) -> pendulum.DateTime:
    """A local time to the minute (seconds allowed) in the context's zone, or with an offset.

    A workbook's real date cell is read in the zone too.

    Example:
        >>> read_instant(datetime(2024, 5, 10, 14, 30), CellContext(tz="UTC")).isoformat()
        '2024-05-10T14:30:00+00:00'
        >>> read_instant("2024-05-10", CellContext())
        Traceback (most recent call last):
        ...
        aftersales.errors.import_cells.CellError: has no time of day
    """
    if isinstance(cell, datetime):
        moment = cell
        if moment.microsecond >= 500_000:
            moment = moment.replace(microsecond=0) + pendulum.duration(seconds=1)
        moment = moment.replace(microsecond=0)
        if moment.tzinfo is not None:
            return pendulum.instance(moment)
        parts = tuple(str(v) for v in moment.timetuple()[:6])
        return local_instant(parts, None, context.tz)
    text = cell_text(cell)
    found = INSTANT_AT_START.fullmatch(text)
    if found is None:
        if _DATE_ONLY.fullmatch(text):
            raise CellError("has no time of day", f"{INSTANT_FORM}, to the minute")
        raise CellError("is not a date and time", INSTANT_FORM)
    return local_instant(found.groups()[:6], found[7], context.tz)


def format_instant(moment: datetime, tz: str | None = None) -> str:
    """``moment`` as the template writes it: local ``YYYY-MM-DD HH:MM``, ``:SS`` when not zero.

    Example:
        >>> at = pendulum.datetime(2024, 5, 10, 6, 30, 15, tz="UTC")
        >>> format_instant(at, "Asia/Shanghai"), format_instant(at.replace(second=0), "UTC")
        ('2024-05-10 14:30:15', '2024-05-10 06:30')
    """
    local = pendulum.instance(moment).in_timezone(tz) if tz is not None else moment
    text = f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"
    return f"{text}:{local.second:02d}" if local.second else text


# -- contacts ----------------------------------------------------------------------------

_PHONE = re.compile(r"\+?[0-9][0-9 \-]{4,24}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CONTACT_ACCEPTED = (
    "a phone number (digits, spaces and '-', optionally after '+') and/or an e-mail address,"
    " separated by '/', ',' or ';'"
)


def read_contact_info(cell: object, context: CellContext) -> tuple[str | None, str | None]:
    """``(phone, email)`` of a contact cell: one phone number, one e-mail address, or both.

    Example:
        >>> read_contact_info("138-1234-5678 / zhang@example.com", CellContext())
        ('138-1234-5678', 'zhang@example.com')
        >>> read_contact_info("13812345678", CellContext())
        ('13812345678', None)
    """
    text = cell_text(cell)
    phone = email = None
    for part in (p.strip() for p in re.split(r"[/,，;；、]", text)):
        if not part:
            continue
        if "*" in part:
            raise CellError("looks masked", f"the full value: {_CONTACT_ACCEPTED}")
        if _EMAIL.fullmatch(part) and email is None:
            email = part
        elif _PHONE.fullmatch(part) and phone is None:
            phone = part
        elif _EMAIL.fullmatch(part) or _PHONE.fullmatch(part):
            raise CellError("holds two phone numbers or two e-mail addresses", _CONTACT_ACCEPTED)
        else:
            raise CellError("is not a phone number or an e-mail address", _CONTACT_ACCEPTED)
    return phone, email


def format_contact_info(phone: str | None, email: str | None) -> str:
    """The contact cell: phone and e-mail joined by `` / ``.

    Example:
        >>> format_contact_info("138****5678", None)
        '138****5678'
    """
    return " / ".join(part for part in (phone, email) if part)


# -- purchases -----------------------------------------------------------------------------

_PURCHASE_FORM = "型号（2024-03-15购买）, optionally followed by ；序列号：… and ；订单号：…"
_NUMBER_LABELS = {
    "序列号": "serial",
    "sn": "serial",
    "s/n": "serial",
    "订单号": "order",
    "订单": "order",
    "order no": "order",
    "order": "order",
}
_TRAILING_NUMBER = re.compile(
    r"^(.*?)[；;]\s*(序列号|订单号|订单|s/n|sn|order no|order)\s*[.:：]?\s*([^；;]+?)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_BOUGHT = re.compile(
    r"^(.*?)\s*[（(]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月)?"
    r"\s*(?:购买|购入|购|bought)?\s*[)）]\s*$",
    re.DOTALL,
)


def read_purchase(cell: object, context: CellContext) -> Purchase:
    """The product and its purchase date (a month alone is its first day), serial and order numbers.

    The warranty is the default 12 months (the template does not hold it).

    Example:
        >>> read_purchase("B型打印机(2024/1/31); 订单号: SO-778", CellContext()).order_number
        'SO-778'
        >>> read_purchase("B型打印机", CellContext())
        Traceback (most recent call last):
        ...
        aftersales.errors.import_cells.CellError: has no purchase date in brackets
    """
    text = cell_text(cell)
    numbers: dict[str, str] = {}
    while (found := _TRAILING_NUMBER.match(text)) is not None:
        kind = _NUMBER_LABELS[found[2].casefold()]
        if kind in numbers:
            raise CellError(f"gives the {kind} number twice", _PURCHASE_FORM)
        numbers[kind] = found[3]
        text = found[1].strip()
    bought = _BOUGHT.match(text)
    if bought is None:
        raise CellError("has no purchase date in brackets", _PURCHASE_FORM)
    model, year, month, day = bought[1].strip(), int(bought[2]), int(bought[3]), bought[4]
    try:
        purchased_on = date(year, month, int(day) if day else 1)
    except ValueError:
        raise CellError("has a purchase date that does not exist", _PURCHASE_FORM) from None
    try:
        return Purchase(
            product=Product(model=model),
            purchased_on=purchased_on,
            serial_number=numbers.get("serial"),
            order_number=numbers.get("order"),
        )
    except InvalidData as error:
        raise CellError(_reason(error), _PURCHASE_FORM) from None


def format_purchase(purchase: Purchase) -> str:
    """The purchase cell: ``型号（YYYY-MM-DD购买）；序列号：…；订单号：…``."""
    text = f"{purchase.product.model}（{purchase.purchased_on.isoformat()}购买）"
    if purchase.serial_number:
        text += f"；序列号：{purchase.serial_number}"
    if purchase.order_number:
        text += f"；订单号：{purchase.order_number}"
    return text


# -- terms -----------------------------------------------------------------------------------


def _term(kind: Any, cell: object) -> Any:
    try:
        return kind.get(cell_text(cell))
    except UnknownValue:
        labels = ", ".join(f"{t.label_zh} ({t.code})" for t in kind.members())
        raise CellError(f"is not a known {_kind_name(kind)}", labels) from None


def _kind_name(kind: Any) -> str:
    names = {Channel: "channel", ProblemCategory: "problem type", Demand: "customer demand"}
    return names.get(kind, "term")


def read_channel(cell: object, context: CellContext) -> Channel:
    """A channel by code, label or alias (the store's own terms included).

    Example:
        >>> read_channel("电话", CellContext())
        Channel('phone')
    """
    return _term(Channel, cell)  # type: ignore[no-any-return]


def read_category(cell: object, context: CellContext) -> ProblemCategory:
    """A problem type by code, label or alias.

    Example:
        >>> read_category("咨询", CellContext())
        ProblemCategory('consultation')
    """
    return _term(ProblemCategory, cell)  # type: ignore[no-any-return]


def read_demands(cell: object, context: CellContext) -> tuple[Demand, ...]:
    """The customer's demands, separated by ``、``, ``,``, ``;`` or ``/``.

    Example:
        >>> read_demands("维修、更换", CellContext())
        (Demand('repair'), Demand('replace'))
    """
    found: list[Demand] = []
    for part in re.split(r"[、,，;；/]", cell_text(cell)):
        if part.strip():
            demand = _term(Demand, part.strip())
            if demand not in found:
                found.append(demand)
    return tuple(found)


def read_priority(cell: object, context: CellContext) -> Priority:
    """A priority: 紧急 / 重要 / 一般, or urgent / important / general.

    Example:
        >>> read_priority("Urgent", CellContext())
        <Priority.URGENT: 'urgent'>
    """
    text = cell_text(cell)
    for member in Priority:
        if text.casefold() in (member.value, member.name.casefold()) or text == member.label_zh:
            return member
    raise CellError(
        "is not a priority", "紧急 / 重要 / 一般 or urgent / important / general (or map it)"
    )


#: The states a 关闭状态 cell may name: the template's three, and cancelled.
CLOSE_STATES = {
    CloseStatus.CLOSED.value: (CloseStatus.CLOSED.label_zh, "closed"),
    CloseStatus.IN_PROGRESS.value: (CloseStatus.IN_PROGRESS.label_zh, "in progress"),
    CloseStatus.NEEDS_ESCALATION.value: (CloseStatus.NEEDS_ESCALATION.label_zh, "needs escalation"),
    TicketStatus.CANCELLED.value: (TicketStatus.CANCELLED.label_zh, "cancelled"),
}


def read_close_state(cell: object, context: CellContext) -> str:
    """``closed``, ``in_progress``, ``needs_escalation`` or ``cancelled``, from a label or code.

    Example:
        >>> read_close_state("需升级", CellContext()), read_close_state("In progress", CellContext())
        ('needs_escalation', 'in_progress')
    """
    text = heading_like(cell_text(cell))
    for code, (label_zh, label_en) in CLOSE_STATES.items():
        if text in (heading_like(code), label_zh, label_en):
            return code
    accepted = " / ".join(zh for zh, _ in CLOSE_STATES.values())
    raise CellError("is not a close status", f"{accepted} (or closed / in progress / ...)")


def heading_like(text: str) -> str:
    """``text`` case-folded with ``_`` and runs of spaces made one space."""
    return re.sub(r"[\s_]+", " ", text.strip()).casefold()


def _reason(error: InvalidData) -> str:
    """The reason of a one-problem ``InvalidData``, without its path."""
    if error.problems:
        return error.problems[0][1].split("; accepted:")[0]
    return str(error)
