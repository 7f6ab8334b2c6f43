"""Root-cause analysis: 5-Why chains, fishbone diagrams and root-cause records.

A :class:`FiveWhys` chain asks "why" until the root cause; a :class:`Fishbone`
sorts candidate causes under the six categories 人 机 料 法 环 测; a
:class:`RootCause` is the record the team agrees on: what, which kind
(:class:`~aftersales.vocab.RootCauseCategory`), the responsible department and
the tickets it explains. The ticket itself is not edited: the root cause holds
the ticket ids, and a store answers "which root causes explain ticket T?"
(:meth:`~aftersales.improvement.ImprovementStore.root_causes_for_ticket`).

Example:
    >>> import pendulum
    >>> chain = (FiveWhys(problem="订单延迟发货")
    ...          .ask("为什么延迟?", "仓库缺货")
    ...          .ask("为什么缺货?", "采购预测偏低")
    ...          .ask("为什么预测偏低?", "历史数据里没有促销活动")
    ...          .ask("为什么没有促销数据?", "供应链与市场部没有数据共享"))
    >>> chain.root_cause, chain.depth
    ('供应链与市场部没有数据共享', 4)
    >>> cause = chain.to_root_cause(
    ...     id="RC-1", category="process_gap", department="供应链部",
    ...     identified_at=pendulum.datetime(2024, 5, 20, 10, tz="Asia/Shanghai"),
    ...     identified_by="王经理", ticket_ids=["T1", "T2"])
    >>> cause.category.label_zh, cause.explains("T2")
    ('流程缺失', True)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.errors import InvalidData
from aftersales.model.ticket import Ticket
from aftersales.vocab import ProblemCategory, RootCauseCategory, _Labelled

__all__ = [
    "Fishbone",
    "FishboneCategory",
    "FishboneCause",
    "FiveWhys",
    "RootCause",
    "RootCauseRow",
    "Why",
    "root_cause_rows",
]

#: The longest 5-Why chain accepted (five is the habit, not a law).
MAX_WHYS = 12


def _bad(name: str, message: str) -> InvalidData:
    return InvalidData(f"{name}: {message}", problems=[(name, message)])


def _unique_ids(value: Any, name: str) -> tuple[str, ...]:
    ids: tuple[str, ...] = check.tuple_of(check.identifier)(value, name)
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise _bad(f"{name}[{index}]", f"{item!r} is listed twice; accepted: each id once")
        seen.add(item)
    return ids


@attrs.frozen(slots=True)
class Why:
    """One step of a 5-Why chain: the question and the answer found (为什么 → 因为).

    Example:
        >>> Why("为什么缺货?", "采购预测偏低").because
        '采购预测偏低'
    """

    why: str
    because: str

    _checks: ClassVar[check.Checks] = (("why", check.text), ("because", check.text))

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)


def _whys(value: Any, name: str) -> tuple[Why, ...]:
    steps: tuple[Why, ...] = check.tuple_of(check.instance_of(Why))(value, name)
    if len(steps) > MAX_WHYS:
        raise _bad(name, f"{len(steps)} steps is too many; accepted: at most {MAX_WHYS}")
    return steps


@attrs.frozen(slots=True)
class FiveWhys:
    """A 5-Why chain (5Why分析): the problem, then why → because, ending in the root cause.

    The chain is ordered: each ``why`` asks about the previous ``because`` (the
    first about the problem); the last ``because`` is the root cause. ``ask``
    returns a longer chain; the chain itself is never changed.

    Example:
        >>> chain = FiveWhys("开机黑屏").ask("为什么黑屏?", "电源板电容鼓包")
        >>> chain.root_cause, chain.is_concluded
        ('电源板电容鼓包', True)
        >>> FiveWhys("开机黑屏").root_cause is None
        True
    """

    problem: str
    steps: tuple[Why, ...] = ()

    _checks: ClassVar[check.Checks] = (("problem", check.text), ("steps", _whys))

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    def ask(self, why: str, because: str) -> FiveWhys:
        """The chain with one more step; ``InvalidData`` past :data:`MAX_WHYS`.

        Example:
            >>> FiveWhys("漏水").ask("为什么漏水?", "排水管松脱").depth
            1
        """
        return FiveWhys(self.problem, (*self.steps, Why(why, because)))

    @property
    def depth(self) -> int:
        """How many whys were asked."""
        return len(self.steps)

    @property
    def is_concluded(self) -> bool:
        """True once at least one why has an answer (the last answer is the root cause)."""
        return bool(self.steps)

    @property
    def root_cause(self) -> str | None:
        """The last answer, or ``None`` for a chain not yet started."""
        return self.steps[-1].because if self.steps else None

    def to_root_cause(
        self,
        *,
        id: str,
        category: RootCauseCategory | str,
        department: str,
        identified_at: datetime,
        identified_by: str,
        ticket_ids: Iterable[str] = (),
        problem_category: ProblemCategory | str | None = None,
        fishbone: Fishbone | None = None,
    ) -> RootCause:
        """The root-cause record this chain concludes in (summary = the last answer).

        Example:
            >>> import pendulum
            >>> chain = FiveWhys("开机黑屏").ask("为什么?", "电源板电容鼓包")
            >>> chain.to_root_cause(id="RC-7", category="hardware_fault", department="质量部",
            ...     identified_at=pendulum.datetime(2024, 5, 1, tz="UTC"),
            ...     identified_by="王工").summary
            '电源板电容鼓包'
        """
        if self.root_cause is None:
            raise _bad("steps", "is empty; accepted: a chain with at least one why → because")
        return RootCause(
            id=id,
            summary=self.root_cause,
            category=category,  # type: ignore[arg-type]
            department=department,
            identified_at=identified_at,  # type: ignore[arg-type]
            identified_by=identified_by,
            ticket_ids=tuple(ticket_ids),
            problem_category=problem_category,  # type: ignore[arg-type]
            five_whys=self,
            fishbone=fishbone,
        )


class FishboneCategory(_Labelled):
    """The six bones of a fishbone (鱼骨图) diagram: 人 机 料 法 环 测.

    Example:
        >>> [c.label_zh for c in FishboneCategory]
        ['人', '机', '料', '法', '环', '测']
        >>> FishboneCategory.parse("环") is FishboneCategory.ENVIRONMENT
        True
    """

    MAN = ("man", "人")
    MACHINE = ("machine", "机")
    MATERIAL = ("material", "料")
    METHOD = ("method", "法")
    ENVIRONMENT = ("environment", "环")
    MEASUREMENT = ("measurement", "测")


@attrs.frozen(slots=True)
class FishboneCause:
    """One candidate cause on a bone, with its sub-causes (小骨).

    Example:
        >>> FishboneCause("method", "装箱规范未规定缓冲材料").category.label_zh
        '法'
    """

    category: FishboneCategory
    cause: str
    sub_causes: tuple[str, ...] = ()

    _checks: ClassVar[check.Checks] = (
        ("category", check.member(FishboneCategory)),
        ("cause", check.text),
        ("sub_causes", check.tuple_of(check.text)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)


@attrs.frozen(slots=True)
class Fishbone:
    """A fishbone (cause-and-effect, 鱼骨图) diagram: the problem and causes by category.

    Example:
        >>> fish = (Fishbone("运输破损率上升")
        ...         .add("material", "纸箱强度不足", "供应商换了纸板")
        ...         .add("method", "装箱规范未规定缓冲材料")
        ...         .add("man", "新员工未培训"))
        >>> [c.label_zh for c in fish.categories_used]
        ['人', '料', '法']
        >>> [c.cause for c in fish.causes_in("material")]
        ['纸箱强度不足']
        >>> print(fish.to_markdown(lang="zh").splitlines()[3])
        - **料**: 纸箱强度不足 (供应商换了纸板)
    """

    problem: str
    causes: tuple[FishboneCause, ...] = ()

    _checks: ClassVar[check.Checks] = (
        ("problem", check.text),
        ("causes", check.tuple_of(check.instance_of(FishboneCause))),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    def add(self, category: FishboneCategory | str, cause: str, *sub_causes: str) -> Fishbone:
        """The diagram with one more cause on the ``category`` bone."""
        item = FishboneCause(category, cause, sub_causes)  # type: ignore[arg-type]
        return Fishbone(self.problem, (*self.causes, item))

    def causes_in(self, category: FishboneCategory | str) -> tuple[FishboneCause, ...]:
        """The causes on one bone, in the order they were added."""
        bone = check.member(FishboneCategory)(category, "category")
        return tuple(c for c in self.causes if c.category is bone)

    @property
    def categories_used(self) -> tuple[FishboneCategory, ...]:
        """The bones that carry at least one cause, in 人机料法环测 order."""
        used = {c.category for c in self.causes}
        return tuple(c for c in FishboneCategory if c in used)

    def to_markdown(self, *, lang: str = "zh") -> str:
        """The diagram as a Markdown outline, one line per cause, bones in fixed order."""
        lines = [f"### {self.problem}", ""]
        for bone in FishboneCategory:
            for item in self.causes_in(bone):
                subs = f" ({'; '.join(item.sub_causes)})" if item.sub_causes else ""
                lines.append(f"- **{bone.label(lang)}**: {item.cause}{subs}")
        return "\n".join(lines)


@attrs.frozen(slots=True, kw_only=True)
class RootCause:
    """A root-cause record (根因表): what, which kind, whose, and the tickets it explains.

    ``ticket_ids`` is how a ticket's analysis links to the root cause without
    editing the ticket: :meth:`link` adds one (idempotently), and stores answer
    the reverse query by ticket.

    Example:
        >>> import pendulum
        >>> cause = RootCause(id="RC-1", summary="供应商电容批次不良", category="supplier",
        ...                   department="采购部", identified_by="王经理",
        ...                   identified_at=pendulum.datetime(2024, 5, 20, tz="Asia/Shanghai"))
        >>> cause = cause.link("T1").link("T2").link("T1")
        >>> cause.ticket_ids, cause.category.label_zh
        (('T1', 'T2'), '供应商问题')
    """

    id: str
    summary: str
    category: RootCauseCategory
    department: str
    identified_at: pendulum.DateTime
    identified_by: str
    ticket_ids: tuple[str, ...] = ()
    problem_category: ProblemCategory | None = None
    five_whys: FiveWhys | None = None
    fishbone: Fishbone | None = None

    _checks: ClassVar[check.Checks] = (
        ("id", check.identifier),
        ("summary", check.text),
        ("category", check.term(RootCauseCategory)),
        ("department", check.text),
        ("identified_at", check.aware),
        ("identified_by", check.text),
        ("ticket_ids", _unique_ids),
        ("problem_category", check.optional(check.term(ProblemCategory))),
        ("five_whys", check.optional(check.instance_of(FiveWhys))),
        ("fishbone", check.optional(check.instance_of(Fishbone))),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    def link(self, *ticket_ids: str) -> RootCause:
        """The record with these tickets added (ids already linked are kept once)."""
        added = tuple(dict.fromkeys(t for t in ticket_ids if t not in self.ticket_ids))
        return attrs.evolve(self, ticket_ids=(*self.ticket_ids, *added))

    def unlink(self, ticket_id: str) -> RootCause:
        """The record without ``ticket_id`` (unchanged when it was not linked).

        Example:
            >>> import pendulum
            >>> RootCause(id="R", summary="s", category="service", department="客服部",
            ...           identified_at=pendulum.datetime(2024, 5, 1, tz="UTC"), identified_by="王",
            ...           ticket_ids=("T1", "T2")).unlink("T1").ticket_ids
            ('T2',)
        """
        return attrs.evolve(self, ticket_ids=tuple(t for t in self.ticket_ids if t != ticket_id))

    def explains(self, ticket_id: str) -> bool:
        """True when ``ticket_id`` is linked to this root cause."""
        return ticket_id in self.ticket_ids


@attrs.frozen(slots=True)
class RootCauseRow:
    """One row of the monthly report's root-cause table, grouped by department.

    Example:
        >>> RootCauseRow("采购部", "RC-1", "供应商电容批次不良", RootCauseCategory.SUPPLIER, 3).tickets
        3
    """

    department: str
    root_cause_id: str
    summary: str
    category: RootCauseCategory
    tickets: int

    def label(self, lang: str = "en") -> str:
        """``department · category: summary (n tickets)`` in ``lang``.

        Example:
            >>> RootCauseRow("采购部", "RC-1", "电容不良", RootCauseCategory.SUPPLIER, 3).label("zh")
            '采购部 · 供应商问题: 电容不良 (3 单)'
        """
        unit = "单" if lang == "zh" else ("ticket" if self.tickets == 1 else "tickets")
        return f"{self.department} · {self.category.label(lang)}: {self.summary} ({self.tickets} {unit})"


def root_cause_rows(
    causes: Iterable[RootCause],
    *,
    tickets: Iterable[Ticket] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[RootCauseRow]:
    """The root-cause table of a report, by department.

    Without ``tickets`` every linked ticket counts. With ``tickets`` (the
    report's tickets) only those count, further limited to tickets received in
    ``[start, end)`` when given; a root cause left with no ticket is omitted.
    Rows are ordered by department, then most tickets first, then id.

    Example:
        >>> import pendulum
        >>> at = pendulum.datetime(2024, 5, 20, tz="Asia/Shanghai")
        >>> causes = [
        ...     RootCause(id="RC-1", summary="电容批次不良", category="supplier", department="采购部",
        ...               identified_at=at, identified_by="王", ticket_ids=("T1",)),
        ...     RootCause(id="RC-2", summary="安装说明缺图", category="process_gap",
        ...               department="产品部", identified_at=at, identified_by="王",
        ...               ticket_ids=("T2", "T3")),
        ... ]
        >>> [(r.department, r.root_cause_id, r.tickets) for r in root_cause_rows(causes)]
        [('产品部', 'RC-2', 2), ('采购部', 'RC-1', 1)]
    """
    lower = None if start is None else check.aware(start, "start")
    upper = None if end is None else check.aware(end, "end")
    allowed: set[str] | None = None
    if tickets is not None:
        allowed = {
            t.id
            for t in tickets
            if (lower is None or t.received_at >= lower)
            and (upper is None or t.received_at < upper)
        }
    elif lower is not None or upper is not None:
        raise _bad("tickets", "is missing; accepted: the tickets to count when a period is given")
    rows = []
    for cause in causes:
        linked = [t for t in cause.ticket_ids if allowed is None or t in allowed]
        if allowed is not None and not linked:
            continue
        rows.append(
            RootCauseRow(cause.department, cause.id, cause.summary, cause.category, len(linked))
        )
    return sorted(rows, key=lambda r: (r.department, -r.tickets, r.root_cause_id))
