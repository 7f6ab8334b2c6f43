"""The cell formats of the template's record fields: analysis, solution, confirmation, log, visit.

These cells hold what happened to the ticket, one item a line:

* 问题分析结果: one finding a line, ``【硬件故障】电源板击穿`` (or ``硬件故障：…``)
  naming its root-cause category, or a plain finding;
* 解决方案: the summary on the first line, then one step a line,
  ``1. 更换电源板（执行人：王工，期限：2024-05-12 18:00）``; or
  ``一线解决：…`` for a problem solved on first contact;
* 客户确认意见: one answer a line, ``同意：…`` or ``异议：…`` with the
  customer's words (a line without the colon is all words);
* 方案执行记录: one key node a line, ``2024-05-11 10:00 王工：已更换`` (time,
  operator, result; ``【上门】`` before the result marks an on-site visit);
* 客户回访结果: the latest return visit, ``2024-05-14 10:00 已解决，满意度 5分，评价：…``
  (the time and 已解决/未解决 may be left out; a score is required, and
  ``满意 5分`` reads as 5).

Each ``read_*`` raises :class:`~aftersales.errors.import_cells.CellError` naming
the line that cannot be read; each ``format_*`` writes what its reader reads.
Imports: the domain only.

Example:
    >>> context = CellContext()
    >>> read_findings("【硬件故障】电源板击穿\\n客户现场电压不稳", context)[0].root_cause
    RootCauseCategory('hardware_fault')
    >>> visit = read_visit("满意 5分", context)
    >>> visit.score, visit.resolved, visit.comment
    (5, None, '')
    >>> read_visit("5分 师傅很专业", context).comment
    '师傅很专业'
"""

from __future__ import annotations

import re

import attrs
import pendulum

from aftersales.errors import InvalidData, UnknownValue
from aftersales.model.solution import SolutionStep
from aftersales.model.ticket import Ticket
from aftersales.transfer.cells import (
    INSTANT_AT_START,
    INSTANT_FORM,
    cell_text,
    format_instant,
    local_instant,
    read_instant,
)
from aftersales.transfer.columns import CellContext
from aftersales.transfer.problems import CellError
from aftersales.vocab import RootCauseCategory

__all__ = [
    "Answer",
    "Finding",
    "KeyNode",
    "Plan",
    "Visit",
    "format_answers",
    "format_findings",
    "format_nodes",
    "format_plan",
    "format_visit",
    "read_answers",
    "read_findings",
    "read_nodes",
    "read_plan",
    "read_visit",
]


def _lines(cell: object) -> list[tuple[int, str]]:
    """The cell's non-blank lines, trimmed, with their line numbers (from 1)."""
    lines = cell_text(cell).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]


def _on_line(number: int, reason: str, accepted: str) -> CellError:
    return CellError(f"line {number} {reason}", accepted)


# -- analysis ------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Finding:
    """One analysis finding and the root-cause category it names (or ``None``).

    Example:
        >>> Finding("电源板击穿", None).text
        '电源板击穿'
    """

    text: str
    root_cause: RootCauseCategory | None


_FINDING_FORM = (
    "one finding a line, '【硬件故障】…' or '硬件故障：…' naming its root cause, or plain"
)


def read_findings(cell: object, context: CellContext) -> tuple[Finding, ...]:
    """The findings of the analysis cell, one a line.

    Example:
        >>> read_findings("操作失误：未按说明书接线", CellContext())
        (Finding(text='未按说明书接线', root_cause=RootCauseCategory('operation_error')),)
    """
    findings = []
    for number, line in _lines(cell):
        bracketed = re.match(r"^【([^】]*)】\s*(.*)$", line, re.DOTALL)
        cause: RootCauseCategory | None = None
        text = line
        if bracketed is not None:
            try:
                cause = RootCauseCategory.get(bracketed[1].strip())
            except UnknownValue:
                labels = ", ".join(t.label_zh for t in RootCauseCategory.members())
                raise _on_line(number, "names no known root cause", labels) from None
            text = bracketed[2].strip()
        else:
            labelled = re.match(r"^([^:：]{1,20})[:：]\s*(.+)$", line, re.DOTALL)
            named = None if labelled is None else _lookup(labelled[1].strip())
            if labelled is not None and named is not None:
                cause, text = named, labelled[2].strip()
        if not text:
            raise _on_line(number, "has a root cause but no finding", _FINDING_FORM)
        findings.append(Finding(text, cause))
    return tuple(findings)


def _lookup(name: str) -> RootCauseCategory | None:
    try:
        return RootCauseCategory.get(name)
    except UnknownValue:
        return None


def format_findings(ticket: Ticket) -> str:
    """Every analysis of the ticket, one a line (``【root cause】finding``)."""
    return "\n".join(
        f"【{a.root_cause.label_zh}】{a.finding}" if a.root_cause is not None else a.finding
        for a in ticket.analyses
    )


# -- solution ------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Plan:
    """The solution: a summary and its steps, or the answer given on first contact.

    Example:
        >>> Plan("电话指导重新配网", (), first_contact=True).first_contact
        True
    """

    summary: str
    steps: tuple[SolutionStep, ...]
    first_contact: bool = False


_FIRST_CONTACT = re.compile(r"^\s*(?:一线解决|first contact)\s*[:：]\s*(.+)$", re.DOTALL | re.I)
_STEP = re.compile(
    r"^(?:\d+\s*[.、)）]|[-•*·])?\s*(.*?)\s*[（(]\s*执行人\s*[:：]\s*(.*?)\s*[，,;；]\s*"
    r"(?:期限|截止时间|截止|deadline)\s*[:：]\s*(.+?)\s*[)）]$",
    re.DOTALL,
)
_PLAN_FORM = (
    "the summary on the first line, then one step a line:"
    " '1. 动作（执行人：王工，期限：2024-05-12 18:00）'; or '一线解决：答复'"
)


def read_plan(cell: object, context: CellContext) -> Plan:
    """The solution cell: summary and steps, or ``一线解决：`` and the answer.

    Example:
        >>> plan = read_plan("更换电源板\\n1. 上门更换（执行人：王工，期限：2024-05-12 18:00）",
        ...                  CellContext())
        >>> plan.summary, plan.steps[0].executor, plan.steps[0].deadline.hour
        ('更换电源板', '王工', 10)
    """
    first = _FIRST_CONTACT.match(cell_text(cell))
    if first is not None:
        return Plan(first[1].strip(), (), first_contact=True)
    lines = _lines(cell)
    summary_number, summary = lines[0]
    if _STEP.match(summary):
        raise _on_line(summary_number, "is a step, not the summary", _PLAN_FORM)
    steps = []
    for number, line in lines[1:]:
        found = _STEP.match(line)
        if found is None:
            raise _on_line(number, "is not a step with executor and deadline", _PLAN_FORM)
        try:
            deadline = read_instant(found[3], context)
        except CellError as error:
            raise _on_line(number, f"has a deadline that {error.reason}", INSTANT_FORM) from None
        try:
            steps.append(SolutionStep(found[1].strip(), found[2].strip(), deadline))
        except InvalidData:
            raise _on_line(number, "has an empty action or executor", _PLAN_FORM) from None
    if not steps:
        raise CellError("has no step", _PLAN_FORM)
    return Plan(summary, tuple(steps))


def format_plan(ticket: Ticket, tz: str) -> str:
    """The latest solution (summary, numbered steps), or ``一线解决：`` and the answer."""
    solution = ticket.solution
    if solution is None:
        for event in ticket.history:
            if event.command == "resolve_on_first_contact":
                return f"一线解决：{event.answer}"  # type: ignore[attr-defined]
        return ""
    steps = [
        f"{n}. {step.action}（执行人：{step.executor}，期限：{format_instant(step.deadline, tz)}）"
        for n, step in enumerate(solution.steps, 1)
    ]
    return "\n".join([solution.summary, *steps])


# -- the customer's answers ----------------------------------------------------------------------


@attrs.frozen(slots=True)
class Answer:
    """The customer's answer to the solution: agreed or disputed, in their own words.

    Example:
        >>> Answer(True, "可以，尽快安排").agreed
        True
    """

    agreed: bool
    words: str


_ANSWER = re.compile(
    r"^(客户不同意|不同意|有异议|异议|disputed|dispute|客户同意|同意|确认|agreed|agree)\s*"
    r"(?:[:：]\s*(.*))?$",
    re.DOTALL | re.IGNORECASE,
)
_ANSWER_FORM = "one answer a line: '同意：客户原话' or '异议：客户原话'"


def read_answers(cell: object, context: CellContext) -> tuple[Answer, ...]:
    """The customer's answers, one a line, oldest first.

    Example:
        >>> read_answers("异议：希望换新机\\n同意：可以维修", CellContext())
        (Answer(agreed=False, words='希望换新机'), Answer(agreed=True, words='可以维修'))
    """
    answers = []
    for number, line in _lines(cell):
        found = _ANSWER.match(line)
        if found is None:
            raise _on_line(number, "does not say whether the customer agreed", _ANSWER_FORM)
        agreed = not re.match(r"客户不同意|不同意|有异议|异议|disput", found[1], re.I)
        words = line if found[2] is None else found[2].strip()
        if not words:
            raise _on_line(number, "has no words of the customer", _ANSWER_FORM)
        answers.append(Answer(agreed, words))
    return tuple(answers)


def format_answers(ticket: Ticket) -> str:
    """The customer's answers, one a line (``同意：…`` / ``异议：…``)."""
    return "\n".join(
        f"{'同意' if e.command == 'record_agreement' else '异议'}：{e.words}"
        for e in ticket.confirmations
    )


# -- the execution log ----------------------------------------------------------------------------


@attrs.frozen(slots=True)
class KeyNode:
    """One key node of the execution: when, who, what came of it, on site or not.

    Example:
        >>> KeyNode(pendulum.datetime(2024, 5, 11, tz="UTC"), "王工", "已更换", False).by
        '王工'
    """

    at: pendulum.DateTime
    by: str
    result: str
    onsite: bool


_NODE_FORM = (
    "one key node a line: 'YYYY-MM-DD HH:MM 操作人：结果' (【上门】 before the result: on site)"
)
_ONSITE = "【上门】"


def read_nodes(cell: object, context: CellContext) -> tuple[KeyNode, ...]:
    """The key nodes of the execution log, one a line, in time order.

    Example:
        >>> node, = read_nodes("2024-05-11 10:00 王工：【上门】已更换电源板", CellContext())
        >>> node.by, node.result, node.onsite
        ('王工', '已更换电源板', True)
    """
    nodes: list[KeyNode] = []
    for number, line in _lines(cell):
        found = INSTANT_AT_START.match(line)
        if found is None:
            raise _on_line(number, "does not start with a time", _NODE_FORM)
        try:
            at = local_instant(found.groups()[:6], found[7], context.tz)
        except CellError as error:
            raise _on_line(number, f"has a time that {error.reason}", _NODE_FORM) from None
        rest = line[found.end() :].strip()
        separator = "：" if "：" in rest else ":"
        by, colon, result = rest.partition(separator)
        by, result = by.strip(), result.strip()
        onsite = result.startswith(_ONSITE)
        result = result.removeprefix(_ONSITE).strip()
        if not colon or not by or not result:
            raise _on_line(number, "does not give an operator and a result", _NODE_FORM)
        if nodes and at < nodes[-1].at:
            raise _on_line(number, "is earlier than the line before", "key nodes in time order")
        nodes.append(KeyNode(at, by, result, onsite))
    return tuple(nodes)


def format_nodes(ticket: Ticket, tz: str) -> str:
    """The execution log, one key node a line."""
    return "\n".join(
        f"{format_instant(e.at, tz)} {e.by}：{_ONSITE if e.onsite else ''}{e.result}"
        for e in ticket.execution_log
    )


# -- the return visit ------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Visit:
    """The latest return visit: when (if written), resolved (if said), score 1–5, comment.

    Example:
        >>> Visit(None, True, 5, "").score
        5
    """

    at: pendulum.DateTime | None
    resolved: bool | None
    score: int
    comment: str


_VISIT_FORM = "'[YYYY-MM-DD HH:MM] 已解决，满意度 5分，评价：…' (a score 1–5 is required)"
_COMMENT = re.compile(r"(评价|备注|comment)\s*[:：]", re.IGNORECASE)


def read_visit(cell: object, context: CellContext) -> Visit:
    """The return-visit cell: time, resolved or not, the score and the comment.

    The comment is what follows ``评价：`` (or ``备注：``); the score and
    resolved/unresolved are read from the text before it, and refused when it
    gives two different scores. Without ``评价：`` the comment is what is left
    besides the time, 已解决/未解决 and the score (nothing, when only 满意 is).

    Example:
        >>> visit = read_visit("2024-05-14 10:00 未解决，满意度 2分，评价：3天了还没修好", CellContext())
        >>> visit.resolved, visit.score, visit.comment, visit.at.day
        (False, 2, '3天了还没修好', 14)
        >>> read_visit("满意", CellContext())
        Traceback (most recent call last):
        ...
        aftersales.errors.import_cells.CellError: gives no satisfaction score
    """
    text = cell_text(cell)
    at = None
    found = INSTANT_AT_START.match(text)
    if found is not None:
        at = local_instant(found.groups()[:6], found[7], context.tz)
        text = text[found.end() :].strip()
    comment_mark = _COMMENT.search(text)
    head, comment = text, None
    if comment_mark is not None:
        head, comment = text[: comment_mark.start()], text[comment_mark.end() :].strip()
    scores = {int(n) for n in re.findall(r"(\d+)\s*分", head)}
    scores |= {int(n) for n in re.findall(r"(?:满意度|评分|score)\s*[:：]?\s*(\d+)", head, re.I)}
    if not scores:
        raise CellError("gives no satisfaction score", _VISIT_FORM)
    if len(scores) > 1:
        raise CellError(f"gives {len(scores)} different scores", _VISIT_FORM)
    score = scores.pop()
    if not 1 <= score <= 5:
        raise CellError(f"gives the score {score}, out of range", _VISIT_FORM)
    resolved: bool | None = None
    unresolved = re.compile(r"未解决|没解决|没有解决|unresolved|not resolved", re.I)
    if unresolved.search(head):
        resolved = False
    elif re.search(r"已解决|resolved", head, re.I):
        resolved = True
    if comment is None:
        comment = _leftover(head, unresolved)
    return Visit(at, resolved, score, comment)


_SEPARATORS = " \t\n,，;；。.、:："


def _leftover(head: str, unresolved: re.Pattern[str]) -> str:
    """What a visit text without ``评价：`` says besides resolved and score: its comment, or ``""``."""
    rest = unresolved.sub(" ", head)
    rest = re.sub(r"已解决|resolved", " ", rest, flags=re.I)
    rest = re.sub(r"(?:满意度|评分|score)\s*[:：]?\s*\d+\s*分?|\d+\s*分", " ", rest, flags=re.I)
    if not re.sub(r"[\s,，;；。.、:：]+|满意度|评分|满意", "", rest):
        return ""
    return re.sub(r"\s+", " ", rest).strip(_SEPARATORS)


def format_visit(ticket: Ticket, tz: str) -> str:
    """The latest return visit: ``time 已解决，满意度 N分，评价：…``."""
    visits = ticket.visits
    if not visits:
        return ""
    visit = visits[-1]
    text = (
        f"{format_instant(visit.at, tz)} {'已解决' if visit.resolved else '未解决'}，"
        f"满意度 {visit.score}分"
    )
    return f"{text}，评价：{visit.comment}" if visit.comment else text
