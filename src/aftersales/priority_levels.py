"""Priority scales: a company's own priority levels, each reported as one of the three seeds.

The seed procedures rank problems urgent / important / general
(:class:`~aftersales.vocab.Priority`), and every report and KPI counts in
those three. A company that works with four levels (Zendesk's and Frappe
Helpdesk's urgent, high, medium, low) declares a :class:`PriorityScale`: its
levels, most urgent first, each with the seed priority it is reported as. A
ticket keeps the level it was given (``priority_level``) beside the seed
priority; SLA targets may be set per level. Tickets stored without a level
(three-level stores) read exactly as before. Imports the vocabulary and the
checks only.

Example:
    >>> scale = PriorityScale.four_levels()
    >>> [level.code for level in scale]
    ['urgent', 'high', 'medium', 'low']
    >>> scale.get("低").reports_as
    <Priority.GENERAL: 'general'>
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import attrs

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData, UnknownValue
from aftersales.vocab import Priority

__all__ = ["PriorityLevel", "PriorityScale"]


@attrs.frozen(slots=True)
class PriorityLevel:
    """One level of a priority scale: a code, labels, and the seed priority it reports as.

    Example:
        >>> PriorityLevel("high", "高", "high", reports_as="important").reports_as
        <Priority.IMPORTANT: 'important'>
    """

    code: str
    label_zh: str
    label_en: str
    reports_as: Priority = attrs.field(kw_only=True)

    _checks: ClassVar[check.Checks] = (
        ("code", check.identifier),
        ("label_zh", check.text),
        ("label_en", check.text),
        ("reports_as", check.member(Priority)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    def label(self, lang: str = "en") -> str:
        """The label in ``lang`` (``"en"`` or ``"zh"``).

        Example:
            >>> PriorityScale.four_levels().get("medium").label("zh")
            '中'
        """
        if lang == "zh":
            return self.label_zh
        if lang == "en":
            return self.label_en
        raise UnknownValue("lang", lang, ["en", "zh"])


def _as_tuple(levels: Iterable[PriorityLevel]) -> tuple[PriorityLevel, ...]:
    """A list of levels as a tuple; anything else as it is, for the levels' check to name."""
    if isinstance(levels, str | bytes) or not isinstance(levels, Iterable):
        return levels
    return tuple(levels)


def _levels(value: Any, name: str) -> tuple[PriorityLevel, ...]:
    levels: tuple[PriorityLevel, ...] = check.tuple_of(
        check.instance_of(PriorityLevel), non_empty=True
    )(value, name)
    problems: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for index, level in enumerate(levels):
        for key in {level.code, level.label_zh, level.label_en}:
            if key in seen:
                message = f"{shown(key)} is also {name}[{seen[key]}]; accepted: distinct levels"
                problems.append((f"{name}[{index}]", message))
            seen.setdefault(key, index)
    ranks = [level.reports_as.rank for level in levels]
    if ranks != sorted(ranks, reverse=True):
        message = (
            f"reported as {[level.reports_as.value for level in levels]};"
            " accepted: levels most urgent first, never reported above an earlier one"
        )
        problems.append((name, message))
    if problems:
        raise InvalidData.from_problems(problems)
    return levels


@attrs.frozen(slots=True)
class PriorityScale:
    """A company's priority levels, most urgent first.

    :meth:`three_levels` is the seeds' own scale (each level is its seed
    priority); :meth:`four_levels` is urgent / high / medium / low, reported as
    urgent / important / general / general.

    Example:
        >>> scale = PriorityScale.four_levels()
        >>> scale.get("high").reports_as, scale.rank("high") > scale.rank("medium")
        (<Priority.IMPORTANT: 'important'>, True)
        >>> scale.get("normal")
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: priority: 'normal' is not a known value; accepted: 'urgent', 'high', 'medium', 'low'
    """

    levels: tuple[PriorityLevel, ...] = attrs.field(converter=_as_tuple)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "levels", _levels(self.levels, "levels"))

    @classmethod
    def three_levels(cls) -> PriorityScale:
        """The seeds' scale: urgent 紧急, important 重要, general 一般.

        Example:
            >>> PriorityScale.three_levels().is_seed
            True
        """
        return cls(
            [PriorityLevel(p.value, p.label_zh, p.label(), reports_as=p) for p in _SEED_ORDER]
        )

    @classmethod
    def four_levels(cls) -> PriorityScale:
        """Urgent 紧急, high 高, medium 中, low 低 (Frappe Helpdesk's; Zendesk calls medium normal).

        Reported as urgent, important, general and general.

        Example:
            >>> [lv.reports_as.value for lv in PriorityScale.four_levels()]
            ['urgent', 'important', 'general', 'general']
        """
        return cls(
            [
                PriorityLevel("urgent", "紧急", "urgent", reports_as=Priority.URGENT),
                PriorityLevel("high", "高", "high", reports_as=Priority.IMPORTANT),
                PriorityLevel("medium", "中", "medium", reports_as=Priority.GENERAL),
                PriorityLevel("low", "低", "low", reports_as=Priority.GENERAL),
            ]
        )

    def __iter__(self) -> Iterator[PriorityLevel]:
        return iter(self.levels)

    def __len__(self) -> int:
        return len(self.levels)

    @property
    def is_seed(self) -> bool:
        """True when every level is a seed priority reported as itself (no level is stored).

        Example:
            >>> PriorityScale.four_levels().is_seed
            False
        """
        return [(lv.code, lv.reports_as) for lv in self.levels] == [
            (p.value, p) for p in _SEED_ORDER
        ]

    @property
    def codes(self) -> tuple[str, ...]:
        """The level codes, most urgent first.

        Example:
            >>> PriorityScale.three_levels().codes
            ('urgent', 'important', 'general')
        """
        return tuple(level.code for level in self.levels)

    def get(self, value: object) -> PriorityLevel:
        """The level with this code or label; :class:`UnknownValue` naming the codes otherwise.

        Example:
            >>> PriorityScale.four_levels().get("高").code
            'high'
        """
        if isinstance(value, PriorityLevel) and value in self.levels:
            return value
        for level in self.levels:
            if value in (level.code, level.label_zh, level.label_en):
                return level
        raise UnknownValue("priority", value, self.codes)

    def rank(self, value: object) -> int:
        """How urgent a level is: 0 for the last (least urgent), counting up.

        Example:
            >>> [PriorityScale.four_levels().rank(code) for code in ("urgent", "low")]
            [3, 0]
        """
        level = self.get(value)
        return len(self.levels) - 1 - self.levels.index(level)

    def level_for(self, priority: Priority) -> PriorityLevel:
        """The first (most urgent) level reported as ``priority``.

        Used for a ticket stored without a level.

        Example:
            >>> PriorityScale.four_levels().level_for(Priority.GENERAL).code
            'medium'
        """
        found = check.member(Priority)(priority, "priority")
        for level in self.levels:
            if level.reports_as is found:
                return level
        raise UnknownValue("priority", priority, [lv.reports_as.value for lv in self.levels])

    def level_of(self, value: object) -> PriorityLevel:
        """The level a priority given at intake stands for: a level of this scale, or a seed priority.

        A level is named by its code or a label; a seed priority (a
        :class:`~aftersales.vocab.Priority` member, or a value or Chinese label
        that names no level) stands for its most urgent level (:meth:`level_for`).
        Anything else raises :class:`UnknownValue` naming the value and the
        scale's codes.

        Example:
            >>> scale = PriorityScale.four_levels()
            >>> [scale.level_of(v).code for v in ("低", Priority.IMPORTANT, "一般")]
            ['low', 'high', 'medium']
            >>> scale.level_of("normal")
            Traceback (most recent call last):
            ...
            aftersales.errors.UnknownValue: priority: 'normal' is not a known value; accepted: 'urgent', 'high', 'medium', 'low'
        """
        seed = value if isinstance(value, Priority) else None
        if seed is None:
            try:
                return self.get(value)
            except UnknownValue:
                seed = next((p for p in _SEED_ORDER if value in (p.value, p.label_zh)), None)
        for level in self.levels:
            if level.reports_as is seed:
                return level
        raise UnknownValue("priority", value, self.codes)

    def recorded(self, value: object) -> tuple[Priority, str | None]:
        """What a ticket records for the priority ``value``: its seed priority and level code.

        The code is ``None`` on the seeds' own scale (:attr:`is_seed`), so that a
        three-level store writes the events it always wrote. Raises like
        :meth:`level_of`.

        Example:
            >>> PriorityScale.four_levels().recorded("中")
            (<Priority.GENERAL: 'general'>, 'medium')
            >>> PriorityScale.three_levels().recorded("重要")
            (<Priority.IMPORTANT: 'important'>, None)
        """
        level = self.level_of(value)
        return level.reports_as, None if self.is_seed else level.code


_SEED_ORDER = (Priority.URGENT, Priority.IMPORTANT, Priority.GENERAL)
