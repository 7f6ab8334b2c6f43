"""One row of the template, read: :class:`TemplateRecord`, and the id of the ticket it becomes.

:func:`read_record` reads the cells of one row (given by column key) with
their columns' readers, after the mapping file's value maps and defaults, and
returns the record or every :class:`~aftersales.transfer.problems.CellProblem`
of the row. :func:`ticket_id_of` gives the row's ticket id: the 工单号 cell
when the file has one, else ``IMP-`` and a hash of the cells that identify a
problem (客户编号, 问题发生时间 as an instant, 问题描述), so that importing the
same file twice finds the same tickets. Imports: the domain only.

Example:
    >>> import pendulum
    >>> at = pendulum.datetime(2024, 5, 10, 6, 30, tz="UTC")
    >>> ticket_id_of(None, "C202405001", at, "开机后黑屏")
    'IMP-C1EC9601B0076B4ACCE3'
    >>> ticket_id_of("T202405001", "C202405001", at, "开机后黑屏")
    'T202405001'
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

from aftersales.errors import InvalidData
from aftersales.model.customer import Contact
from aftersales.model.product import Purchase
from aftersales.transfer.cells import cell_text
from aftersales.transfer.columns import CellContext, Columns
from aftersales.transfer.mapping import ImportMapping
from aftersales.transfer.problems import CellError, CellProblem, shown_cell
from aftersales.transfer.record_cells import Answer, Finding, KeyNode, Plan, Visit
from aftersales.vocab import Channel, Demand, Priority, ProblemCategory

__all__ = ["TemplateRecord", "read_record", "ticket_id_of"]


@attrs.frozen(slots=True)
class TemplateRecord:
    """What one row of the template says, read and checked cell by cell.

    ``close_state`` is ``closed``, ``in_progress``, ``needs_escalation`` or
    ``cancelled``; ``extras`` holds the values of registered columns that the
    history rule does not use (a later field), by key.

    Example:
        >>> [field.name for field in attrs.fields(TemplateRecord)][:3]
        ['row', 'ticket_id', 'customer_id']
    """

    row: int
    ticket_id: str
    customer_id: str
    customer_name: str
    contact: Contact | None
    purchase: Purchase | None
    occurred_at: pendulum.DateTime
    description: str
    demands: tuple[Demand, ...]
    priority: Priority
    handler: str
    findings: tuple[Finding, ...]
    plan: Plan | None
    answers: tuple[Answer, ...]
    nodes: tuple[KeyNode, ...]
    visit: Visit | None
    improvement: str | None
    close_state: str
    updated_at: pendulum.DateTime
    channel: Channel
    category: ProblemCategory
    extras: Mapping[str, Any] = attrs.field(factory=dict)


def ticket_id_of(
    given: str | None, customer_id: str, occurred_at: pendulum.DateTime, description: str
) -> str:
    """The row's ticket id: ``given`` (the 工单号 cell), else a hash of the identifying cells."""
    if given:
        return given
    basis = "\x1f".join((customer_id, occurred_at.in_timezone("UTC").isoformat(), description))
    return "IMP-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:20].upper()


_CORE = frozenset(
    (
        "ticket_id",
        "customer_id",
        "customer_name",
        "contact_person",
        "contact_info",
        "purchase",
        "occurred_at",
        "description",
        "demands",
        "priority",
        "first_handler",
        "analysis",
        "solution",
        "confirmation",
        "execution_log",
        "return_visit",
        "improvement",
        "close_status",
        "updated_at",
        "channel",
        "category",
    )
)


def read_record(
    row: int,
    cells: Mapping[str, Any],
    *,
    columns: Columns,
    headings: Mapping[str, str],
    mapping: ImportMapping,
    context: CellContext,
) -> tuple[TemplateRecord | None, list[CellProblem]]:
    """The record of row ``row`` (cells by column key), or ``None`` and every problem found.

    ``headings`` gives each key's heading as the file writes it (the
    template's Chinese heading for a column the file lacks).
    """
    values: dict[str, Any] = {}
    problems: list[CellProblem] = []

    def refuse(key: str, cell: object, reason: str, accepted: str) -> None:
        column = columns.get(key)
        shown = shown_cell(cell, contact=column.contact)
        problems.append(CellProblem(row, headings[key], shown, reason, accepted))

    for column in columns:
        raw = cells.get(column.key)
        if cell_text(raw) == "" and column.key in mapping.defaults:
            raw = mapping.defaults[column.key]
        raw = mapping.mapped(column.key, raw)
        if cell_text(raw) == "":
            if column.required:
                accepted = f"a value for {column.heading_zh} ({column.heading_en})"
                refuse(column.key, None, "is empty", accepted)
            values[column.key] = None
            continue
        try:
            values[column.key] = column.read(raw, context)
        except CellError as error:
            refuse(column.key, raw, error.reason, error.accepted)
        except InvalidData as error:  # a reader of a registered column may raise the library's own
            refuse(column.key, raw, str(error), "a value the column reads")
    contact = None
    person, info = values.get("contact_person"), values.get("contact_info")
    if info is not None and person is None and "contact_person" not in _failed(problems, headings):
        refuse("contact_person", None, "is empty but 联系方式 is given", "the contact's name")
    elif person is not None:
        phone, email = info if info is not None else (None, None)
        contact = Contact(name=person, phone=phone, email=email)
    if problems:
        return None, problems
    return (
        TemplateRecord(
            row=row,
            ticket_id=ticket_id_of(
                values["ticket_id"],
                values["customer_id"],
                values["occurred_at"],
                values["description"],
            ),
            customer_id=values["customer_id"],
            customer_name=values["customer_name"],
            contact=contact,
            purchase=values["purchase"],
            occurred_at=values["occurred_at"],
            description=values["description"],
            demands=values["demands"] or (),
            priority=values["priority"],
            handler=values["first_handler"],
            findings=values["analysis"] or (),
            plan=values["solution"],
            answers=values["confirmation"] or (),
            nodes=values["execution_log"] or (),
            visit=values["return_visit"],
            improvement=values["improvement"],
            close_state=values["close_status"],
            updated_at=values["updated_at"],
            channel=values["channel"],
            category=values["category"],
            extras={key: value for key, value in values.items() if key not in _CORE},
        ),
        [],
    )


def _failed(problems: list[CellProblem], headings: Mapping[str, str]) -> set[str]:
    """The keys whose cells were already refused."""
    refused = {problem.heading for problem in problems}
    return {key for key, heading in headings.items() if heading in refused}
