"""Improvement actions (满意度提升策略清单): planned, tracked weekly, verified.

One :class:`ImprovementAction` addresses one problem–cause pair: the problem
as the customers see it (and its problem type), the root cause found, and what
will be done about it — an immediate fix and compensation, a process change or
a long-term prevention — by whom, by when (a working-day aware due time on a
:class:`~aftersales.WorkCalendar`), and how the result will be accepted. Its
status follows :class:`~aftersales.improvement.ActionLifecycle`; every change
and every weekly progress note is kept.

Example:
    >>> import pendulum
    >>> from aftersales import WorkCalendar
    >>> cal = WorkCalendar.china()
    >>> monday = pendulum.datetime(2024, 5, 20, 10, tz="Asia/Shanghai")
    >>> action = ImprovementAction.plan(
    ...     id="IA-1", problem="运输破损投诉增加", cause_id="RC-1",
    ...     category="logistics_delay", type=ActionType.PROCESS_CHANGE,
    ...     title="装箱规范增加缓冲材料要求", owner="物流部 赵经理",
    ...     acceptance="连续两周破损投诉 ≤ 2 单", at=monday, by="王经理",
    ...     calendar=cal, working_days=10)
    >>> action.due_at.in_tz("Asia/Shanghai").to_date_string(), action.status.label_zh
    ('2024-06-03', '计划中')
    >>> action = action.start(by="赵经理", at=monday.add(days=1))
    >>> action.overdue(monday.add(days=20))
    True
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._renamed import renamed_keywords
from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.improvement.lifecycle import ACTION_TRANSITIONS, ActionStatus
from aftersales.vocab import ProblemCategory, _Labelled

__all__ = [
    "ActionType",
    "ImprovementAction",
    "LagReason",
    "LaggingAction",
    "ProgressNote",
    "StatusChange",
    "lagging",
    "overdue",
]


def _bad(name: str, message: str) -> InvalidData:
    return InvalidData(f"{name}: {message}", problems=[(name, message)])


class ActionType(_Labelled):
    """The three kinds of improvement action of the strategy list.

    Example:
        >>> ActionType.IMMEDIATE_FIX.label_zh
        '即时补救与补偿'
        >>> ActionType.parse("长期预防") is ActionType.LONG_TERM_PREVENTION
        True
    """

    IMMEDIATE_FIX = ("immediate_fix", "即时补救与补偿")
    PROCESS_CHANGE = ("process_change", "流程优化")
    LONG_TERM_PREVENTION = ("long_term_prevention", "长期预防")


@attrs.frozen(slots=True)
class ProgressNote:
    """A weekly progress note (每周进展): when, who, what happened.

    Example:
        >>> import pendulum
        >>> ProgressNote(at=pendulum.datetime(2024, 5, 24, 17, tz="Asia/Shanghai"),
        ...              by="赵经理", text="新规范已起草,待评审").at.isoformat()
        '2024-05-24T09:00:00+00:00'
    """

    at: pendulum.DateTime
    by: str
    text: str

    _checks: ClassVar[check.Checks] = (
        ("at", check.aware),
        ("by", check.text),
        ("text", check.text),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)


@attrs.frozen(slots=True)
class StatusChange:
    """One accepted lifecycle command: which, from and to which status, when, who, why.

    Example:
        >>> import pendulum
        >>> StatusChange(command="start", source="planned", target="in_progress",
        ...              at=pendulum.datetime(2024, 5, 21, tz="UTC"), by="赵经理").target.label_zh
        '进行中'
    """

    command: str
    source: ActionStatus
    target: ActionStatus
    at: pendulum.DateTime
    by: str
    reason: str = ""

    _checks: ClassVar[check.Checks] = (
        ("command", check.text),
        ("source", check.member(ActionStatus)),
        ("target", check.member(ActionStatus)),
        ("at", check.aware),
        ("by", check.text),
        ("reason", check.optional_text),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)


def _changes(value: Any, name: str) -> tuple[StatusChange, ...]:
    changes: tuple[StatusChange, ...] = check.tuple_of(check.instance_of(StatusChange))(value, name)
    status = ActionStatus.PLANNED
    for index, change in enumerate(changes):
        allowed = ACTION_TRANSITIONS.allowed(status)
        if change.source is not status or change.command not in allowed:
            raise _bad(
                f"{name}[{index}]",
                f"{change.command!r} from {change.source.value} does not follow {status.value};"
                f" accepted: one of {', '.join(allowed) or 'nothing'} from {status.value}",
            )
        expected = ACTION_TRANSITIONS.target(status, change.command, "?")
        if change.target is not expected:
            raise _bad(
                f"{name}[{index}].target",
                f"{change.target.value} is not where {change.command!r} leads;"
                f" accepted: {expected.value}",
            )
        if change.command == "drop" and not change.reason.strip():
            raise _bad(f"{name}[{index}].reason", "is empty; accepted: why the action is dropped")
        status = expected
    return changes


@attrs.frozen(slots=True, kw_only=True)
class ImprovementAction:
    """One line of the improvement strategy list (满意度提升策略清单).

    ``status`` is derived from ``changes`` (the lifecycle commands accepted,
    oldest first) and checked against them; ``version`` counts the changes and
    notes, for optimistic concurrency in an
    :class:`~aftersales.improvement.ImprovementStore`. Build one with
    :meth:`plan`, then move it with :meth:`start`, :meth:`complete`,
    :meth:`verify`, :meth:`reject`, :meth:`drop` and :meth:`note_progress`;
    each returns a new action and leaves this one as it is.

    Example:
        >>> import pendulum
        >>> at = pendulum.datetime(2024, 5, 20, 10, tz="Asia/Shanghai")
        >>> action = ImprovementAction.plan(
        ...     id="IA-2", problem="安装后噪音大", cause_id="RC-2", category="usage_guidance",
        ...     type="immediate_fix", title="上门重新调平并赠送一年延保", owner="李工",
        ...     acceptance="回访满意度 ≥ 4", at=at, by="王经理", due_at=at.add(days=3))
        >>> action.drop(by="王经理", at=at.add(days=1), reason="")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: reason: '' is empty; accepted: why the action is dropped
        >>> action.drop(by="王经理", at=at.add(days=1), reason="客户已退货").status.label_zh
        '已放弃'
    """

    id: str
    problem: str
    cause_id: str
    category: ProblemCategory
    type: ActionType
    title: str
    owner: str
    acceptance: str
    created_at: pendulum.DateTime
    created_by: str
    due_at: pendulum.DateTime
    product_model: str | None = None
    status: ActionStatus = ActionStatus.PLANNED
    changes: tuple[StatusChange, ...] = ()
    notes: tuple[ProgressNote, ...] = ()
    version: int = 1

    _checks: ClassVar[check.Checks] = (
        ("id", check.identifier),
        ("problem", check.text),
        ("cause_id", check.identifier),
        ("category", check.term(ProblemCategory)),
        ("type", check.member(ActionType)),
        ("title", check.text),
        ("owner", check.text),
        ("acceptance", check.text),
        ("created_at", check.aware),
        ("created_by", check.text),
        ("due_at", check.aware),
        ("product_model", check.optional_name),
        ("status", check.member(ActionStatus)),
        ("changes", _changes),
        ("notes", check.tuple_of(check.instance_of(ProgressNote))),
        ("version", check.integer(1)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        problems = []
        derived = self.changes[-1].target if self.changes else ActionStatus.PLANNED
        if self.status is not derived:
            problems.append(
                (
                    "status",
                    f"{self.status.value} disagrees with the changes; accepted: {derived.value}",
                )
            )
        if self.due_at < self.created_at:
            problems.append(
                (
                    "due_at",
                    f"{self.due_at.isoformat()} is before created_at; accepted: a later time",
                )
            )
        expected = 1 + len(self.changes) + len(self.notes)
        if self.version != expected:
            problems.append(
                (
                    "version",
                    f"{self.version} does not count the changes and notes; accepted: {expected}",
                )
            )
        stamps = [self.created_at, *(c.at for c in self.changes)]
        if any(b < a for a, b in itertools.pairwise(stamps)):
            problems.append(("changes", "go back in time; accepted: changes in time order"))
        if problems:
            raise InvalidData.from_problems(problems)

    @classmethod
    def plan(
        cls,
        *,
        id: str,
        problem: str,
        cause_id: str,
        category: ProblemCategory | str,
        type: ActionType | str,
        title: str,
        owner: str,
        acceptance: str,
        at: datetime,
        by: str,
        due_at: datetime | None = None,
        calendar: WorkCalendar | None = None,
        working_days: int | None = None,
        product_model: str | None = None,
    ) -> ImprovementAction:
        """A planned action; the due time is ``due_at``, or the end of the
        ``working_days``-th working day after ``at`` on ``calendar``
        (:meth:`WorkCalendar.add_working_days`).

        Example:
            >>> import pendulum
            >>> from aftersales import WorkCalendar
            >>> at = pendulum.datetime(2024, 9, 30, 10, tz="Asia/Shanghai")  # before National Day
            >>> ImprovementAction.plan(id="IA-3", problem="p", cause_id="RC-3",
            ...     category="consultation", type="process_change", title="t", owner="o",
            ...     acceptance="a", at=at, by="b", calendar=WorkCalendar.china(),
            ...     working_days=1).due_at.in_tz("Asia/Shanghai").to_datetime_string()
            '2024-10-08 18:00:00'
        """
        if due_at is None:
            if calendar is None or working_days is None:
                raise _bad(
                    "due_at",
                    "is missing; accepted: due_at, or calendar= and working_days= to compute it",
                )
            due_at = calendar.add_working_days(check.aware(at, "at"), working_days)
        elif calendar is not None or working_days is not None:
            raise _bad("due_at", "given with calendar/working_days; accepted: one or the other")
        return cls(
            id=id,
            problem=problem,
            cause_id=cause_id,
            category=category,  # type: ignore[arg-type]
            type=type,  # type: ignore[arg-type]
            title=title,
            owner=owner,
            acceptance=acceptance,
            created_at=at,  # type: ignore[arg-type]
            created_by=by,
            due_at=due_at,  # type: ignore[arg-type]
            product_model=product_model,
        )

    # -- lifecycle ---------------------------------------------------------------------

    def allowed_commands(self) -> tuple[str, ...]:
        """The lifecycle commands allowed now, sorted."""
        return ACTION_TRANSITIONS.allowed(self.status)

    def _move(self, command: str, by: str, at: datetime, reason: str = "") -> ImprovementAction:
        target = ACTION_TRANSITIONS.target(self.status, command, self.id)
        change = StatusChange(
            command=command,
            source=self.status,
            target=target,
            at=at,  # type: ignore[arg-type]
            by=by,
            reason=reason,
        )
        if command == "drop" and not reason.strip():
            raise _bad("reason", f"{reason!r} is empty; accepted: why the action is dropped")
        self._not_before(change.at)
        return attrs.evolve(
            self, status=target, changes=(*self.changes, change), version=self.version + 1
        )

    def _not_before(self, at: pendulum.DateTime) -> None:
        last = self.changes[-1].at if self.changes else self.created_at
        if at < last:
            raise _bad(
                "at",
                f"{at.isoformat()} is before the action's last change at {last.isoformat()};"
                " accepted: that time or later",
            )

    def start(self, *, by: str, at: datetime) -> ImprovementAction:
        """planned → in progress."""
        return self._move("start", by, at)

    def complete(self, *, by: str, at: datetime, summary: str = "") -> ImprovementAction:
        """in progress → done (the work is finished; acceptance still to be checked)."""
        return self._move("complete", by, at, summary)

    def verify(self, *, by: str, at: datetime, evidence: str = "") -> ImprovementAction:
        """done → verified: the acceptance criterion is met."""
        return self._move("verify", by, at, evidence)

    def reject(self, *, by: str, at: datetime, reason: str) -> ImprovementAction:
        """done → in progress: the acceptance criterion is not met yet."""
        return self._move("reject", by, at, check.text(reason, "reason"))

    def drop(self, *, by: str, at: datetime, reason: str) -> ImprovementAction:
        """planned / in progress / done → dropped, with the reason (required)."""
        return self._move("drop", by, at, reason)

    def note_progress(self, *, by: str, at: datetime, text: str) -> ImprovementAction:
        """Add a weekly progress note (status unchanged; refused once verified or dropped).

        Example:
            >>> import pendulum
            >>> at = pendulum.datetime(2024, 5, 20, 10, tz="Asia/Shanghai")
            >>> a = ImprovementAction.plan(id="IA-4", problem="p", cause_id="RC-4",
            ...     category="consultation", type="process_change", title="t", owner="o",
            ...     acceptance="a", at=at, by="b", due_at=at.add(days=14))
            >>> a = a.note_progress(by="o", at=at.add(days=4), text="完成调研")
            >>> len(a.notes), a.version, a.last_activity_at == at.add(days=4)
            (1, 2, True)
        """
        ACTION_TRANSITIONS.target(self.status, "note_progress", self.id)
        note = ProgressNote(at=at, by=by, text=text)  # type: ignore[arg-type]
        return attrs.evolve(self, notes=(*self.notes, note), version=self.version + 1)

    # -- questions ---------------------------------------------------------------------

    @property
    def drop_reason(self) -> str | None:
        """Why the action was dropped, or ``None``."""
        if self.status is ActionStatus.DROPPED:
            return self.changes[-1].reason
        return None

    @property
    def completed_at(self) -> pendulum.DateTime | None:
        """When the work was last completed (``None`` if it is not done now)."""
        if self.status not in (ActionStatus.DONE, ActionStatus.VERIFIED):
            return None
        return next(c.at for c in reversed(self.changes) if c.command == "complete")

    @property
    def last_activity_at(self) -> pendulum.DateTime:
        """The latest of creation, status changes and progress notes."""
        return max([self.created_at, *(c.at for c in self.changes), *(n.at for n in self.notes)])

    @renamed_keywords(now="at")
    def overdue(self, at: datetime) -> bool:
        """True when the work is still open (planned / in progress) at ``at``, after its due time."""
        return self.status.is_open and check.aware(at, "at") > self.due_at


@renamed_keywords(now="at")
def overdue(actions: Iterable[ImprovementAction], at: datetime) -> list[ImprovementAction]:
    """The actions overdue at ``at``, most overdue first (then by id).

    Example:
        >>> overdue([], pendulum.now("UTC"))
        []
    """
    at = check.aware(at, "at")
    return sorted((a for a in actions if a.overdue(at)), key=lambda a: (a.due_at, a.id))


class LagReason(_Labelled):
    """Why an action shows in the weekly report's lagging list.

    Example:
        >>> LagReason.NO_RECENT_PROGRESS.label_zh
        '本周无进展'
    """

    OVERDUE = ("overdue", "已逾期")
    NOT_STARTED = ("not_started", "临近截止仍未启动")
    NO_RECENT_PROGRESS = ("no_recent_progress", "本周无进展")


@attrs.frozen(slots=True)
class LaggingAction:
    """An open action that is behind, and why (every reason that applies).

    Example:
        >>> LaggingAction.__name__
        'LaggingAction'
    """

    action: ImprovementAction
    reasons: tuple[LagReason, ...]


@renamed_keywords(now="at")
def lagging(
    actions: Iterable[ImprovementAction],
    at: datetime,
    *,
    quiet_for: timedelta = timedelta(days=7),
    start_before: timedelta = timedelta(days=3),
) -> list[LaggingAction]:
    """The weekly report's lagging actions (跟进滞后) at ``at``, open ones only.

    An open action lags when it is overdue, when it is still planned less than
    ``start_before`` before its due time, or when nothing (no change, no note)
    happened to it during the last ``quiet_for``. Most overdue first.

    Example:
        >>> import pendulum
        >>> at = pendulum.datetime(2024, 5, 20, 10, tz="Asia/Shanghai")
        >>> a = ImprovementAction.plan(id="IA-5", problem="p", cause_id="RC-5",
        ...     category="consultation", type="process_change", title="t", owner="o",
        ...     acceptance="a", at=at, by="b", due_at=at.add(days=14))
        >>> [r.value for r in lagging([a], at.add(days=12))[0].reasons]
        ['not_started', 'no_recent_progress']
        >>> lagging([a], at.add(days=1))
        []
    """
    at = check.aware(at, "at")
    found = []
    for action in actions:
        if not action.status.is_open:
            continue
        reasons = []
        if action.overdue(at):
            reasons.append(LagReason.OVERDUE)
        elif action.status is ActionStatus.PLANNED and action.due_at - at <= start_before:
            reasons.append(LagReason.NOT_STARTED)
        if at - action.last_activity_at >= quiet_for:
            reasons.append(LagReason.NO_RECENT_PROGRESS)
        if reasons:
            found.append(LaggingAction(action, tuple(reasons)))
    return sorted(found, key=lambda item: (item.action.due_at, item.action.id))
