"""Satisfaction by dimension (满意度维度): the scores a return visit gives beside the overall one.

A return visit may score each :class:`~aftersales.vocab.SatisfactionDimension`
(专业知识, 服务态度, 响应速度, 解决效果, or a company's own) from 1 to 5.
:class:`DimensionScore` is one such score; :func:`dimension_scores` turns what
a caller gives — a mapping of dimensions (code, label, alias or term) to
scores, or :class:`DimensionScore` values — into the sorted tuple a
:class:`~aftersales.model.events.VisitRecorded` keeps, refusing every bad
entry at once: an unknown dimension (``UnknownValue``), a score outside 1–5
(``ScoreOutOfRange`` naming the dimension), a dimension given twice. No
scores at all is ``None``: the visit scored the overall satisfaction only.
Imports: the vocabulary and the checks.

Example:
    >>> dimension_scores({"服务态度": 5, "response_speed": 4})
    (DimensionScore(dimension=SatisfactionDimension('response_speed'), score=4), DimensionScore(dimension=SatisfactionDimension('service_attitude'), score=5))
    >>> dimension_scores({"service_attitude": 7})
    Traceback (most recent call last):
    ...
    aftersales.errors.ScoreOutOfRange: dimensions['service_attitude']: 7 is out of range; accepted: an integer from 1 to 5
    >>> dimension_scores({}) is None
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData, UnknownValue
from aftersales.vocab import SatisfactionDimension

__all__ = ["DimensionScore", "dimension_scores"]

#: The scale of a dimension score (the overall score's).
LOW, HIGH = 1, 5


@attrs.frozen(slots=True)
class DimensionScore:
    """One dimension of a return visit scored 1–5.

    Example:
        >>> DimensionScore("专业知识", 4)
        DimensionScore(dimension=SatisfactionDimension('professional_knowledge'), score=4)
        >>> DimensionScore("professional_knowledge", 0)
        Traceback (most recent call last):
        ...
        aftersales.errors.ScoreOutOfRange: score: 0 is out of range; accepted: an integer from 1 to 5
    """

    dimension: SatisfactionDimension
    score: int

    _checks: ClassVar[check.Checks] = (
        ("dimension", check.term(SatisfactionDimension)),
        ("score", check.score(LOW, HIGH)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)


def _pairs(value: Any, name: str) -> list[tuple[str, Any, Any]]:
    """``(path, dimension, score)`` of each entry of a mapping or of ``DimensionScore`` values."""
    if isinstance(value, Mapping):
        return [(f"{name}[{shown(key)}]", key, score) for key, score in value.items()]
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        message = (
            f"{type(value).__name__} is not a mapping; accepted: a mapping of dimensions"
            f" to scores from {LOW} to {HIGH}, or None"
        )
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    pairs = []
    for index, item in enumerate(value):
        if not isinstance(item, DimensionScore):
            message = (
                f"{shown(item)} is not a DimensionScore; accepted: DimensionScore(dimension, score)"
            )
            raise InvalidData(
                f"{name}[{index}]: {message}", problems=[(f"{name}[{index}]", message)]
            )
        pairs.append((f"{name}[{index}]", item.dimension, item.score))
    return pairs


def dimension_scores(value: Any, name: str = "dimensions") -> tuple[DimensionScore, ...] | None:
    """The dimension scores ``value`` gives, sorted by dimension code; ``None`` for none.

    ``value`` is ``None``, a mapping of dimensions (a code, label, alias or
    term of the active vocabulary) to integer scores 1–5, or an iterable of
    :class:`DimensionScore`. Raises the error of the one bad entry
    (``UnknownValue``, ``ScoreOutOfRange``), or one ``InvalidData`` listing
    every bad entry.

    Example:
        >>> dimension_scores({"态度": 5, "service_attitude": 4})
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: dimensions['service_attitude']: service_attitude is given twice; accepted: one score per dimension
    """
    if value is None:
        return None
    errors: list[InvalidData] = []
    scored: dict[str, DimensionScore] = {}
    for path, key, score in _pairs(value, name):
        try:
            dimension = SatisfactionDimension.get(key)
        except UnknownValue as error:
            errors.append(UnknownValue(path, key, error.accepted))
            continue
        path = f"{name}[{dimension.code!r}]" if isinstance(value, Mapping) else path
        try:
            checked = check.score(LOW, HIGH)(score, path)
        except InvalidData as error:
            errors.append(error)
            continue
        if dimension.code in scored:
            message = f"{dimension.code} is given twice; accepted: one score per dimension"
            errors.append(InvalidData(f"{path}: {message}", problems=[(path, message)]))
            continue
        scored[dimension.code] = DimensionScore(dimension, checked)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InvalidData.from_problems([p for error in errors for p in error.problems])
    if not scored:
        return None
    return tuple(scored[code] for code in sorted(scored))
