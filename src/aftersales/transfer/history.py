"""The history rule: which commands make a row's ticket, in what order, at which back-dated instants.

A row of the template says where a problem stands, not what happened when. The
import turns it into the shortest history the lifecycle allows that gives the
row's cells back, through the service desk's own commands (``at=`` back-dates
them), all by the row's 初步对接人 except the key nodes (their operators):

1. ``open_ticket`` (受理登记): customer, contact, purchase, description,
   demands, priority, channel, problem type, 初步对接人 as handler;
2. ``acknowledge``, when the row has an analysis or a solution to propose;
3. ``record_analysis`` for each finding of 问题分析结果;
4. 解决方案: ``resolve_on_first_contact`` (``一线解决：…``), or ``propose_solution``
   before each answer of 客户确认意见 up to the first agreement
   (``record_agreement`` / ``record_dispute``), or once when there is no
   answer yet;
5. ``record_progress`` for each key node of 方案执行记录 (needs that agreement);
   then, for each answer after the first agreement, ``report_new_problem``
   (the plan was reopened during execution, after an agreement only),
   ``propose_solution`` and the answer;
6. when there is a 客户回访结果: ``finish_execution`` (unless solved on first
   contact), then ``record_visit``; a visit that does not say 已解决/未解决
   counts as resolved on a 已关闭 row and unresolved on any other;
7. ``suggest_improvement`` with 优化建议;
8. 关闭状态: 已关闭 must be reached by the visit (resolved, score at least the
   desk's threshold); 处理中 must not be; 需升级 adds ``escalate`` and
   已取消 adds ``cancel``, last.

Instants: the registration is at 问题发生时间 and the last command at
更新时间 (a row with only the registration is registered at 更新时间). A key
node, or a visit written with its time, is at that time; every other command
is placed at evenly spaced instants (whole seconds, rounded down) between the
fixed instants around it. Fixed instants must follow each other in that
order, between 问题发生时间 and 更新时间; 更新时间 may not lie after the desk's
clock. The instants are placeholders where the row has no time: SLA figures
of imported tickets measure the rule, not what happened.

Imports: the domain only.

Example:
    >>> import pendulum
    >>> a = pendulum.datetime(2024, 5, 10, tz="UTC")
    >>> steps = [Step("open_ticket", {}, "李工", "description", a),
    ...          Step("acknowledge", {}, "李工", "analysis"),
    ...          Step("record_analysis", {}, "李工", "analysis"),
    ...          Step("propose_solution", {}, "李工", "solution")]
    >>> [s.at.hour for s in placed(steps, a.add(hours=9))]
    [0, 3, 6, 9]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import attrs
import pendulum

from aftersales.errors.import_cells import RowConflict
from aftersales.transfer.record import TemplateRecord
from aftersales.transfer.record_cells import Answer, KeyNode, Plan

__all__ = [
    "CANCEL_REASON",
    "ESCALATION_REASON",
    "FINISHED_SUMMARY",
    "NEW_PROBLEM",
    "Step",
    "placed",
    "planned_steps",
]

#: The summary of the ``finish_execution`` the rule adds before a return visit.
FINISHED_SUMMARY = "方案执行完毕（导入）"
#: The description of the ``report_new_problem`` before an answer that follows an agreement.
NEW_PROBLEM = "导入：执行中发现新问题，方案重新确认"
#: The reason of the ``escalate`` a 需升级 row ends with.
ESCALATION_REASON = "导入：关闭状态为需升级"
#: The reason of the ``cancel`` a 已取消 row ends with.
CANCEL_REASON = "导入：原记录已取消"


@attrs.frozen(slots=True)
class Step:
    """One command of the history: its name, arguments, who, the column it comes from, when.

    ``at`` is fixed by the row (a key node's time) or ``None`` until
    :func:`placed` gives it an instant.

    Example:
        >>> Step("acknowledge", {}, "李工", "analysis").at is None
        True
    """

    command: str
    payload: dict[str, Any]
    by: str
    key: str
    at: pendulum.DateTime | None = None


def planned_steps(record: TemplateRecord, *, visit_threshold: int) -> list[Step]:
    """The commands of the record's history, in order (see the module); ``RowConflict`` when none fits."""
    by = record.handler
    steps = [Step("open_ticket", {}, by, "description", record.occurred_at)]
    plan = record.plan
    if record.findings or (plan is not None and not plan.first_contact):
        steps.append(Step("acknowledge", {"note": ""}, by, "analysis"))
    for finding in record.findings:
        payload: dict[str, Any] = {"finding": finding.text, "root_cause": finding.root_cause}
        steps.append(Step("record_analysis", payload, by, "analysis"))
    first_contact = False
    answers = list(record.answers)
    agreement = next((i for i, answer in enumerate(answers) if answer.agreed), len(answers))
    later_answers = answers[agreement + 1 :]
    if plan is None:
        _needs_plan(record)
    elif plan.first_contact:
        if answers:
            raise RowConflict(
                "confirmation", "is given for a problem solved on first contact", "an empty cell"
            )
        steps.append(Step("resolve_on_first_contact", {"answer": plan.summary}, by, "solution"))
        first_contact = True
    else:
        steps += _answered(plan, answers[: agreement + 1], by, reopened=False)
    if record.nodes and agreement == len(answers):
        raise _no_agreement()
    steps += [_node_step(node) for node in record.nodes]
    if plan is not None and not plan.first_contact:
        steps += _answered(plan, later_answers, by, reopened=True)
    agreed = bool(answers) and answers[-1].agreed
    if record.visit is not None and not first_contact and not agreed:
        raise _no_agreement()
    closes = False
    if record.visit is not None:
        visit = record.visit
        if not first_contact:
            steps.append(
                Step("finish_execution", {"summary": FINISHED_SUMMARY}, by, "return_visit")
            )
        resolved = visit.resolved
        if resolved is None:
            resolved = record.close_state == "closed"
        payload = {"resolved": resolved, "score": visit.score, "comment": visit.comment}
        steps.append(Step("record_visit", payload, by, "return_visit", visit.at))
        closes = resolved and visit.score >= visit_threshold
    if record.improvement:
        steps.append(Step("suggest_improvement", {"text": record.improvement}, by, "improvement"))
    _check_close_state(record, closes, visit_threshold)
    if record.close_state == "needs_escalation":
        steps.append(Step("escalate", {"reason": ESCALATION_REASON}, by, "close_status"))
    elif record.close_state == "cancelled":
        steps.append(Step("cancel", {"reason": CANCEL_REASON}, by, "close_status"))
    return steps


def _answered(plan: Plan, answers: Sequence[Answer], by: str, *, reopened: bool) -> list[Step]:
    """A proposal before each answer (one alone without answers); after an agreement, a new problem."""
    steps = []
    proposal = {"summary": plan.summary, "steps": plan.steps}
    if not answers and not reopened:
        return [Step("propose_solution", proposal, by, "solution")]
    for answer in answers:
        if reopened:
            steps.append(
                Step("report_new_problem", {"description": NEW_PROBLEM}, by, "confirmation")
            )
        steps.append(Step("propose_solution", dict(proposal), by, "solution"))
        command = "record_agreement" if answer.agreed else "record_dispute"
        steps.append(Step(command, {"words": answer.words}, by, "confirmation"))
        reopened = answer.agreed
    return steps


def _no_agreement() -> RowConflict:
    return RowConflict(
        "confirmation",
        "has no agreement of the customer, but the row goes on to execution",
        "a line '同意：客户原话' (the last one before a return visit)",
    )


def _needs_plan(record: TemplateRecord) -> None:
    """Refuse a row that answers, executes or visits without a solution."""
    for key, present in (
        ("confirmation", bool(record.answers)),
        ("execution_log", bool(record.nodes)),
        ("return_visit", record.visit is not None),
    ):
        if present:
            raise RowConflict(
                "solution",
                f"is empty, but the row has a {_NAMES[key]}",
                "the solution (summary and steps), or '一线解决：答复'",
            )


_NAMES = {
    "confirmation": "customer confirmation (客户确认意见)",
    "execution_log": "execution log (方案执行记录)",
    "return_visit": "return visit (客户回访结果)",
}


def _node_step(node: KeyNode) -> Step:
    payload = {"result": node.result, "onsite": node.onsite}
    return Step("record_progress", payload, node.by, "execution_log", node.at)


def _check_close_state(record: TemplateRecord, closes: bool, threshold: int) -> None:
    state = record.close_state
    if state == "closed" and not closes:
        raise RowConflict(
            "close_status",
            "says 已关闭, but no return visit closes the ticket",
            f"a 客户回访结果 that resolved it with a score of at least {threshold},"
            " or 处理中 / 需升级",
        )
    if state != "closed" and closes:
        raise RowConflict(
            "close_status",
            "says the ticket is open, but its return visit resolved it (and closes it)",
            "已关闭, or a 客户回访结果 saying 未解决",
        )


def placed(steps: Sequence[Step], updated_at: pendulum.DateTime) -> list[Step]:
    """``steps`` with every instant set: fixed ones kept, the others spread between (see the module).

    The first step's own instant is the registration's (问题发生时间); the last
    step is at ``updated_at`` unless the row fixes its time. Raises
    :class:`~aftersales.errors.import_cells.RowConflict` for fixed instants out of order or after ``updated_at``.
    """
    fixed: list[pendulum.DateTime | None] = [step.at for step in steps]
    opened = fixed[0]
    if opened is not None and opened > updated_at:
        raise RowConflict("updated_at", "is earlier than 问题发生时间", "a time at or after it")
    if len(steps) == 1:
        fixed[0] = updated_at
    last = fixed[-1]
    if last is None:
        fixed[-1] = updated_at
    elif last > updated_at:
        raise RowConflict(
            "updated_at", f"is earlier than the {_COLUMN_NAMES[steps[-1].key]}", "a later time"
        )
    previous: pendulum.DateTime | None = None
    for step, at in zip(steps, fixed, strict=True):
        if at is None:
            continue
        if previous is not None and at < previous:
            what = _COLUMN_NAMES[step.key]
            raise RowConflict(
                step.key, f"has a time earlier than the step before it ({what})", _ORDER
            )
        if at > updated_at:
            raise RowConflict(step.key, "has a time later than 更新时间", _ORDER)
        previous = at
    anchors = [i for i, at in enumerate(fixed) if at is not None]
    for left, right in itertools.pairwise(anchors):
        start, end = fixed[left], fixed[right]
        assert start is not None
        assert end is not None
        span = (end - start).total_seconds()
        for index in range(left + 1, right):
            offset = int(span * (index - left) // (right - left))
            fixed[index] = start.add(seconds=offset)
    return [attrs.evolve(step, at=at) for step, at in zip(steps, fixed, strict=True)]


_ORDER = "times in the order of the lifecycle, between 问题发生时间 and 更新时间"
_COLUMN_NAMES = {
    "description": "registration (问题发生时间)",
    "execution_log": "last key node (方案执行记录)",
    "return_visit": "return visit (客户回访结果)",
    "analysis": "analysis",
    "solution": "solution",
    "confirmation": "confirmation",
    "improvement": "improvement suggestion",
    "close_status": "close status",
}
