"""Mergeable accumulators: one pass, or partitions merged in any order, same result.

Each accumulator has ``add(...)`` (one observation), ``merge(other)`` (a new
accumulator holding both; neither operand changes) and ``result()`` (an
immutable value). State is integers only (counts, sums of microseconds,
histograms) so merging is exactly associative and commutative: no float
rounding depends on the order. Memory is constant in the number of
observations, except :class:`Durations`, which keeps every value so that its
percentiles are exact, and :class:`Tally`/:class:`GroupBy`, which grow with
the number of distinct keys.

Example:
    >>> a, b = Durations(), Durations()
    >>> for minutes in (5, 10):
    ...     a.add(minutes * 60_000_000)
    >>> b.add(30 * 60_000_000)
    >>> a.merge(b).result().median == b.merge(a).result().median == timedelta(minutes=10)
    True
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import timedelta
from typing import Any, Generic, Protocol, Self, TypeVar, runtime_checkable

import attrs

from aftersales import _checks as check
from aftersales.errors import InvalidData, ScoreOutOfRange
from aftersales.kpi import formulas

__all__ = [
    "Accumulator",
    "DurationStats",
    "Durations",
    "GroupBy",
    "NpsStats",
    "NpsTally",
    "Rate",
    "Ratio",
    "ScoreStats",
    "Scores",
    "Tally",
]

R = TypeVar("R", covariant=True)
A = TypeVar("A", bound="Accumulator[Any]")
K = TypeVar("K", bound=Hashable)


@runtime_checkable
class Accumulator(Protocol[R]):
    """What every KPI accumulator offers.

    ``merge`` returns a new accumulator; for any split of the observations into
    parts, merging the parts' accumulators in any order and grouping gives the
    same ``result()`` as adding every observation to one accumulator.

    Example:
        >>> all(isinstance(acc, Accumulator) for acc in (Ratio(), Durations(), Scores()))
        True
    """

    def merge(self, other: Self) -> Self:
        """A new accumulator holding both operands' observations."""
        ...

    def result(self) -> R:
        """The figure, as an immutable value."""
        ...


def _same_kind(left: object, right: object) -> None:
    if type(left) is not type(right):
        message = f"{type(right).__name__} cannot be merged into {type(left).__name__}"
        raise InvalidData(f"other: {message}", problems=[("other", message)])


@attrs.frozen(slots=True)
class Rate:
    """A proportion kept as its two counts: ``numerator`` of ``denominator``.

    Example:
        >>> Rate(19, 20).value, Rate(19, 20).percent
        (0.95, 95.0)
        >>> Rate(0, 0).value is None
        True
    """

    numerator: int
    denominator: int

    def __attrs_post_init__(self) -> None:
        formulas.rate(self.numerator, self.denominator)  # checks the proportion

    @property
    def value(self) -> float | None:
        """The fraction, ``None`` when nothing was counted."""
        return formulas.rate(self.numerator, self.denominator)

    @property
    def percent(self) -> float | None:
        """The fraction × 100."""
        value = self.value
        return None if value is None else 100.0 * value


class Ratio:
    """Counts of hits among counted observations → :class:`Rate`.

    Example:
        >>> ratio = Ratio()
        >>> for closed in (True, True, False):
        ...     ratio.add(closed)
        >>> ratio.result()
        Rate(numerator=2, denominator=3)
    """

    __slots__ = ("hits", "total")

    def __init__(self, hits: int = 0, total: int = 0) -> None:
        self.hits = hits
        self.total = total

    def add(self, hit: bool) -> None:
        """Count one observation, a hit when ``hit`` is true."""
        self.total += 1
        if hit:
            self.hits += 1

    def merge(self, other: Ratio) -> Ratio:
        """A new ratio with both operands' counts."""
        _same_kind(self, other)
        return Ratio(self.hits + other.hits, self.total + other.total)

    def result(self) -> Rate:
        """The proportion."""
        return Rate(self.hits, self.total)


@attrs.frozen(slots=True)
class DurationStats:
    """Count, mean, median and 90th percentile of durations (exact, type-7 quantiles).

    Example:
        >>> stats = DurationStats.of([timedelta(minutes=m) for m in (10, 20, 30, 40, 50)])
        >>> stats.count, stats.mean, stats.median, stats.p90
        (5, datetime.timedelta(seconds=1800), datetime.timedelta(seconds=1800), datetime.timedelta(seconds=2760))
    """

    count: int
    mean: timedelta | None
    median: timedelta | None
    p90: timedelta | None

    @classmethod
    def of(cls, values: Iterable[timedelta]) -> DurationStats:
        """The statistics of ``values``."""
        acc = Durations()
        for value in values:
            acc.add(value // timedelta(microseconds=1))
        return acc.result()

    def hours(self, name: str) -> float | None:
        """One of ``mean``, ``median``, ``p90`` in hours (``None`` when empty).

        Example:
            >>> DurationStats.of([timedelta(minutes=90)]).hours("median")
            1.5
        """
        value = getattr(self, name)
        return None if value is None else value / timedelta(hours=1)


def _td(us: float | None) -> timedelta | None:
    return None if us is None else timedelta(microseconds=round(us))


class Durations:
    """Durations in integer microseconds → :class:`DurationStats`; percentiles exact.

    Keeps every value (the one accumulator whose memory grows with the
    observations): an exact p90 cannot be merged from summaries.

    Example:
        >>> d = Durations()
        >>> for seconds in (1, 2, 3, 4):
        ...     d.add(seconds * 1_000_000)
        >>> d.result().median
        datetime.timedelta(seconds=2, microseconds=500000)
    """

    __slots__ = ("values",)

    def __init__(self, values: Iterable[int] = ()) -> None:
        self.values: list[int] = check.counts(values, "values", high=2**63 - 1)

    def add(self, microseconds: int) -> None:
        """Add one duration, in microseconds (negative values are refused)."""
        if microseconds < 0:
            message = f"{microseconds} is negative; accepted: a duration >= 0"
            raise InvalidData(f"duration: {message}", problems=[("duration", message)])
        self.values.append(microseconds)

    def merge(self, other: Durations) -> Durations:
        """A new accumulator holding both operands' durations."""
        _same_kind(self, other)
        merged = Durations()
        merged.values = self.values + other.values  # both already checked
        return merged

    def result(self) -> DurationStats:
        """Count, mean, median and p90."""
        values = sorted(self.values)
        if not values:
            return DurationStats(0, None, None, None)
        return DurationStats(
            len(values),
            _td(sum(values) / len(values)),
            _td(formulas.percentile(values, 0.5)),
            _td(formulas.percentile(values, 0.9)),
        )


@attrs.frozen(slots=True)
class ScoreStats:
    """Satisfaction on the 1–5 scale: count, mean, CSAT and the distribution.

    ``distribution[i]`` counts the score ``i + 1``; ``csat`` is the percent of
    scores at or above ``csat_threshold``.

    Example:
        >>> stats = Scores().merge(Scores.of([5, 4, 2])).result()
        >>> stats.count, round(stats.mean, 2), round(stats.csat, 1), stats.distribution
        (3, 3.67, 66.7, (0, 1, 0, 1, 1))
    """

    count: int
    mean: float | None
    csat: float | None
    csat_threshold: int
    distribution: tuple[int, ...]


class Scores:
    """A histogram of satisfaction scores 1–5 → :class:`ScoreStats`.

    Example:
        >>> scores = Scores(csat_threshold=5)
        >>> scores.add(5); scores.add(4)
        >>> scores.result().csat
        50.0
    """

    __slots__ = ("counts", "csat_threshold")

    def __init__(self, *, csat_threshold: int = 4, counts: Iterable[int] = (0,) * 5) -> None:
        check.score(1, 5)(csat_threshold, "csat_threshold")
        self.csat_threshold = csat_threshold
        self.counts = check.counts(counts, "counts", length=5)

    @classmethod
    def of(cls, scores: Iterable[int], *, csat_threshold: int = 4) -> Scores:
        """An accumulator holding ``scores``."""
        acc = cls(csat_threshold=csat_threshold)
        for score in scores:
            acc.add(score)
        return acc

    def add(self, score: int) -> None:
        """Add one score 1–5."""
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
            raise ScoreOutOfRange("score", score, low=1, high=5)
        self.counts[score - 1] += 1

    def merge(self, other: Scores) -> Scores:
        """A new histogram with both operands' scores (same CSAT threshold)."""
        _same_kind(self, other)
        if other.csat_threshold != self.csat_threshold:
            message = f"{other.csat_threshold} differs; accepted: {self.csat_threshold}"
            raise InvalidData(f"csat_threshold: {message}", problems=[("csat_threshold", message)])
        counts = [a + b for a, b in zip(self.counts, other.counts, strict=True)]
        return Scores(csat_threshold=self.csat_threshold, counts=counts)

    def result(self) -> ScoreStats:
        """Count, mean, CSAT and distribution."""
        count = sum(self.counts)
        total = sum((i + 1) * c for i, c in enumerate(self.counts))
        good = sum(self.counts[self.csat_threshold - 1 :])
        return ScoreStats(
            count,
            total / count if count else None,
            100.0 * good / count if count else None,
            self.csat_threshold,
            tuple(self.counts),
        )


@attrs.frozen(slots=True)
class NpsStats:
    """NPS survey answers: promoters (9–10), passives (7–8), detractors (0–6), score.

    Example:
        >>> NpsTally.of([10, 9, 8, 3]).result()
        NpsStats(responses=4, promoters=2, passives=1, detractors=1, score=25.0)
    """

    responses: int
    promoters: int
    passives: int
    detractors: int
    score: float | None


class NpsTally:
    """A histogram of 0–10 "how likely to recommend" answers → :class:`NpsStats`.

    Example:
        >>> tally = NpsTally()
        >>> tally.add(0)
        >>> tally.result().score
        -100.0
    """

    __slots__ = ("counts",)

    def __init__(self, counts: Iterable[int] = (0,) * 11) -> None:
        self.counts = check.counts(counts, "counts", length=11)

    @classmethod
    def of(cls, scores: Iterable[int]) -> NpsTally:
        """An accumulator holding ``scores``."""
        acc = cls()
        for score in scores:
            acc.add(score)
        return acc

    def add(self, score: int) -> None:
        """Add one answer 0–10."""
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 10:
            raise ScoreOutOfRange("score", score, low=0, high=10)
        self.counts[score] += 1

    def merge(self, other: NpsTally) -> NpsTally:
        """A new histogram with both operands' answers."""
        _same_kind(self, other)
        return NpsTally([a + b for a, b in zip(self.counts, other.counts, strict=True)])

    def result(self) -> NpsStats:
        """Promoters, passives, detractors and the score (−100…100)."""
        responses = sum(self.counts)
        promoters = self.counts[9] + self.counts[10]
        detractors = sum(self.counts[:7])
        score = 100.0 * (promoters - detractors) / responses if responses else None
        return NpsStats(responses, promoters, responses - promoters - detractors, detractors, score)


class Tally(Generic[K]):
    """Counts per key → ``((key, count), ...)``, most frequent first, ties by key.

    Example:
        >>> tally = Tally[str]()
        >>> for channel in ("phone", "email", "phone"):
        ...     tally.add(channel)
        >>> tally.result()
        (('phone', 2), ('email', 1))
    """

    __slots__ = ("counts",)

    def __init__(self, counts: Mapping[K, int] | None = None) -> None:
        if counts is not None and not isinstance(counts, Mapping):
            message = f"{type(counts).__name__} is not a mapping; accepted: {{key: count}}"
            raise InvalidData(f"counts: {message}", problems=[("counts", message)])
        check.counts(list((counts or {}).values()), "counts", high=2**63 - 1)
        self.counts: Counter[K] = Counter(counts or {})

    def add(self, key: K, count: int = 1) -> None:
        """Count ``key`` (``count`` times)."""
        self.counts[key] += count

    def merge(self, other: Tally[K]) -> Tally[K]:
        """A new tally with both operands' counts."""
        _same_kind(self, other)
        merged: Tally[K] = Tally(self.counts)
        merged.counts.update(other.counts)
        return merged

    def result(self) -> tuple[tuple[K, int], ...]:
        """``(key, count)`` pairs, most frequent first, ties in key order."""
        return tuple(sorted(self.counts.items(), key=lambda kv: (-kv[1], str(kv[0]))))

    def top(self, n: int) -> tuple[tuple[K, int], ...]:
        """The ``n`` most frequent keys."""
        return self.result()[:n]


class GroupBy(Generic[K, A]):
    """One accumulator per key, made by ``factory`` on first use → ``{key: result}``.

    Example:
        >>> by_channel = GroupBy[str, Ratio](Ratio)
        >>> by_channel.get("phone").add(True)
        >>> by_channel.get("email").add(False)
        >>> {k: r.percent for k, r in by_channel.result().items()}
        {'email': 0.0, 'phone': 100.0}
    """

    __slots__ = ("factory", "groups")

    def __init__(self, factory: Callable[[], A], groups: Mapping[K, A] | None = None) -> None:
        self.factory = factory
        self.groups: dict[K, A] = dict(groups or {})

    def get(self, key: K) -> A:
        """The accumulator of ``key``, created empty when new."""
        acc = self.groups.get(key)
        if acc is None:
            acc = self.groups[key] = self.factory()
        return acc

    def merge(self, other: GroupBy[K, A]) -> GroupBy[K, A]:
        """A new grouping: each key's accumulators merged."""
        _same_kind(self, other)
        groups = dict(self.groups)
        for key, acc in other.groups.items():
            mine = groups.get(key)
            groups[key] = acc.merge(self.factory()) if mine is None else mine.merge(acc)
        return GroupBy(self.factory, groups)

    def result(self) -> dict[K, Any]:
        """``{key: result}`` in key order."""
        return {key: self.groups[key].result() for key in sorted(self.groups, key=str)}
