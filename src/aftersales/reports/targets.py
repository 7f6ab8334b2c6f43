"""Targets of the KPI table: each indicator's goal and which way it must be met.

A :class:`KpiTarget` names an indicator of
:data:`~aftersales.reports.indicators.INDICATORS`, a value and a direction
(``"at_least"`` or ``"at_most"``); :class:`KpiTargets` holds one per
indicator at most. The monthly (quarterly, yearly) report shows each target
beside its figure and marks the figure ``"met"`` or ``"missed"``; a figure
that could not be measured gets no mark. The comparison uses the figure as
computed, not as rounded for display.

Example:
    >>> targets = KpiTargets.default()
    >>> targets.get("closure")
    KpiTarget(indicator='closure', value=95.0, direction='at_least')
    >>> targets.mark("onsite_24h", 12.2), targets.mark("closure", 97.1), targets.mark("nps", None)
    ('missed', 'met', None)
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from aftersales._shown import shown
from aftersales.errors.report_settings import ReportSettingsRefused
from aftersales.reports.indicators import INDICATORS

__all__ = ["DIRECTIONS", "KpiTarget", "KpiTargets", "read_toml"]

#: How a figure meets its target: at least the target's value, or at most.
DIRECTIONS: Final = ("at_least", "at_most")

_NUMBER = "accepted: a number such as 95 or 2.5"


def number_problem(value: object) -> str | None:
    """Why ``value`` is not a finite number (``None`` when it is one)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{shown(value)} is not a number; {_NUMBER}"
    if not math.isfinite(value):
        return f"{value!r} is not a finite number; {_NUMBER}"
    return None


def direction_problem(value: object) -> str | None:
    """Why ``value`` is not a direction (``None`` when it is one)."""
    if value in DIRECTIONS:
        return None
    return f"{shown(value)} is not a direction; accepted: 'at_least', 'at_most'"


def _refuse(problems: list[tuple[str, str]]) -> None:
    if problems:
        error = ReportSettingsRefused.from_problems(problems)
        raise error


def _indicator_problem(value: object) -> str | None:
    if isinstance(value, str) and value in INDICATORS:
        return None
    return f"{shown(value)} is not an indicator; accepted: {', '.join(map(repr, INDICATORS))}"


@attrs.frozen(slots=True)
class KpiTarget:
    """The target of one indicator: ``value`` and ``direction`` (``"at_least"`` / ``"at_most"``).

    Rates are in percent (``95`` for 95 %), durations in hours, like the KPI table.

    Example:
        >>> target = KpiTarget("fr_mean", 2, "at_most")
        >>> target.met_by(1.5), target.met_by(2.0), target.met_by(2.01), target.met_by(None)
        (True, True, False, None)
        >>> KpiTarget("closure", 95, "above")
        Traceback (most recent call last):
        ...
        aftersales.errors.report_settings.ReportSettingsRefused: direction: 'above' is not a direction; accepted: 'at_least', 'at_most'
    """

    indicator: str
    value: float
    direction: str = "at_least"

    def __attrs_post_init__(self) -> None:
        problems = [
            (path, problem)
            for path, problem in (
                ("indicator", _indicator_problem(self.indicator)),
                ("value", number_problem(self.value)),
                ("direction", direction_problem(self.direction)),
            )
            if problem is not None
        ]
        _refuse(problems)
        object.__setattr__(self, "value", float(self.value))

    def met_by(self, value: float | None) -> bool | None:
        """Whether ``value`` meets the target (``None`` when there is no value)."""
        if value is None:
            return None
        return value >= self.value if self.direction == "at_least" else value <= self.value


#: The built-in targets: indicator → (value, direction). Closure 95 % and key
#: customers' return-visit coverage 80 % come from the domain text (DOMAIN.md §5);
#: the others are this library's defaults, documented in docs/reports.md.
_DEFAULTS: Final[dict[str, tuple[float, str]]] = {
    "closure": (95.0, "at_least"),
    "key_visit_coverage": (80.0, "at_least"),
    "first_line": (70.0, "at_least"),
    "repeat": (5.0, "at_most"),
    "reopen": (5.0, "at_most"),
    "fr_mean": (2.0, "at_most"),
    "onsite_24h": (90.0, "at_least"),
    "satisfaction": (4.5, "at_least"),
    "csat": (85.0, "at_least"),
    "nps": (30.0, "at_least"),
    "visit_coverage": (90.0, "at_least"),
    "low_score_callback": (90.0, "at_least"),
    "peak_ratio": (1.5, "at_most"),
}


def _as_tuple(targets: Iterable[KpiTarget]) -> tuple[KpiTarget, ...]:
    return tuple(targets)


def _unique(
    instance: KpiTargets, attribute: attrs.Attribute[Any], targets: tuple[KpiTarget, ...]
) -> None:
    problems = []
    seen: set[str] = set()
    for index, target in enumerate(targets):
        if not isinstance(target, KpiTarget):
            problems.append((f"targets[{index}]", f"{shown(target)} is not a KpiTarget"))
        elif target.indicator in seen:
            problems.append(
                (f"targets[{index}]", f"a second target of {target.indicator!r}; accepted: one")
            )
        else:
            seen.add(target.indicator)
    _refuse(problems)


@attrs.frozen(slots=True)
class KpiTargets:
    """The targets of a report's KPI table, one per indicator at most.

    :meth:`default` holds the built-in ones. From the domain text (DOMAIN.md
    §5): complaint closure ≥ 95 %, key customers' return-visit coverage ≥ 80 %.
    Ours (a starting point a team should set to its own): first-line
    resolution ≥ 70 %, repeat complaints ≤ 5 %, reopen ≤ 5 %, mean first
    response ≤ 2 working hours (the default SLA's target for important
    tickets), on site within 24 h ≥ 90 %, satisfaction ≥ 4.5 (the effect the
    domain's improvement example aims at), CSAT ≥ 85 %, NPS ≥ 30, return-visit
    coverage ≥ 90 %, low-score callback within 48 h ≥ 90 %, peak / off-peak
    response ratio ≤ 1.5. :meth:`none` holds no target.

    Example:
        >>> targets = KpiTargets((KpiTarget("closure", 90),))
        >>> targets.mark("closure", 91.0), targets.mark("first_line", 10.0), len(targets)
        ('met', None, 1)
    """

    targets: tuple[KpiTarget, ...] = attrs.field(converter=_as_tuple, validator=_unique)

    @classmethod
    def default(cls) -> KpiTargets:
        """The built-in targets (see the class's description for where each comes from).

        Example:
            >>> KpiTargets.default().get("onsite_24h").value
            90.0
        """
        return cls(tuple(KpiTarget(key, *pair) for key, pair in _DEFAULTS.items()))

    @classmethod
    def none(cls) -> KpiTargets:
        """No target at all: the KPI table shows no target column.

        Example:
            >>> len(KpiTargets.none())
            0
        """
        return cls(())

    def __len__(self) -> int:
        return len(self.targets)

    def __iter__(self) -> Iterator[KpiTarget]:
        return iter(self.targets)

    def get(self, indicator: str) -> KpiTarget | None:
        """The target of ``indicator``, ``None`` when it has none."""
        for target in self.targets:
            if target.indicator == indicator:
                return target
        return None

    def mark(self, indicator: str, value: float | None) -> str | None:
        """``"met"``, ``"missed"``, or ``None`` (no target, or no value)."""
        target = self.get(indicator)
        met = None if target is None else target.met_by(value)
        return None if met is None else ("met" if met else "missed")

    def to_dict(self) -> dict[str, dict[str, float]]:
        """``{indicator: {direction: value}}``, the shape of a targets file's ``[targets]``.

        Example:
            >>> KpiTargets((KpiTarget("repeat", 5, "at_most"),)).to_dict()
            {'repeat': {'at_most': 5.0}}
        """
        return {t.indicator: {t.direction: t.value} for t in self.targets}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "") -> KpiTargets:
        """The targets a mapping (a parsed targets file) describes.

        Keys: ``use_defaults`` (optional, ``true`` by default: start from
        :meth:`default` and change what ``targets`` names) and ``targets``, a
        table of ``indicator = { at_least = N }`` or ``{ at_most = N }``, or
        ``indicator = false`` to drop a default target. Every problem is named
        under its path, in one :class:`~aftersales.errors.ReportSettingsRefused`.

        Example:
            >>> targets = KpiTargets.from_dict(
            ...     {"targets": {"closure": {"at_least": 98}, "nps": False, "escalation": {"at_most": 5}}})
            >>> targets.get("closure").value, targets.get("nps"), targets.get("escalation").direction
            (98.0, None, 'at_most')
            >>> KpiTargets.from_dict({"use_defaults": False, "targets": {}}) == KpiTargets.none()
            True
        """
        problems: list[tuple[str, str]] = []
        if not isinstance(data, Mapping):
            _refuse([(where or "targets", f"{shown(data)} is not a table of targets")])
        for key in data:
            if key not in ("use_defaults", "targets"):
                problems.append(
                    (
                        str(key),
                        f"{shown(key)} is not a key of a targets file;"
                        " accepted: 'use_defaults', 'targets'",
                    )
                )
        use_defaults = data.get("use_defaults", True)
        if not isinstance(use_defaults, bool):
            problems.append(("use_defaults", f"{shown(use_defaults)} is not true or false"))
        table = data.get("targets", {})
        chosen = dict(_DEFAULTS) if use_defaults is True else {}
        if not isinstance(table, Mapping):
            problems.append(("targets", f"{shown(table)} is not a table of targets"))
            table = {}
        for indicator, spec in table.items():
            path = f"targets.{indicator}"
            wrong = _indicator_problem(indicator)
            if wrong is not None:
                problems.append((path, wrong))
                continue
            if spec is False:
                chosen.pop(indicator, None)
                continue
            if not isinstance(spec, Mapping) or len(spec) != 1:
                problems.append(
                    (
                        path,
                        f"{shown(spec)} is not a target; accepted: "
                        "{ at_least = N }, { at_most = N } or false",
                    )
                )
                continue
            ((direction, value),) = spec.items()
            wrong = direction_problem(direction)
            if wrong is not None:
                problems.append((f"{path}.{direction}", wrong))
                continue
            wrong = number_problem(value)
            if wrong is not None:
                problems.append((f"{path}.{direction}", wrong))
                continue
            chosen[indicator] = (float(value), direction)
        _refuse([(f"{where}:{path}" if where else path, message) for path, message in problems])
        return cls(tuple(KpiTarget(key, *pair) for key, pair in chosen.items()))

    @classmethod
    def from_toml(cls, source: str | os.PathLike[str]) -> KpiTargets:
        """The targets of a TOML file: ``source`` is its text, or a path to it
        (a :class:`pathlib.Path` or other path-like; a ``str`` is always text).

        Example:
            >>> text = 'use_defaults = false\\n[targets]\\nclosure = { at_least = 98 }\\n'
            >>> KpiTargets.from_toml(text).to_dict()
            {'closure': {'at_least': 98.0}}
        """
        data, where = read_toml(source, "targets")
        return cls.from_dict(data, where=where)


def read_toml(source: str | os.PathLike[str], what: str) -> tuple[dict[str, Any], str]:
    """The parsed TOML of ``source`` (its text, or a path-like to it) and where it came from.

    Example:
        >>> read_toml("a = 1", "targets")
        ({'a': 1}, '')
    """
    where = ""
    if isinstance(source, os.PathLike):
        path = Path(source)
        where = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            message = f"cannot be read ({error.__class__.__name__}); accepted: a UTF-8 TOML file"
            raise ReportSettingsRefused(
                f"{where}: {message}", problems=[(where, message)]
            ) from None
    elif isinstance(source, str):
        text = source
    else:
        message = f"{shown(source)} is not a text or a path; accepted: a TOML text or a path to one"
        raise ReportSettingsRefused(f"{what}: {message}", problems=[(what, message)])
    try:
        return tomllib.loads(text), where
    except tomllib.TOMLDecodeError as error:
        message = f"not TOML ({error}); accepted: a TOML file of {what} (docs/reports.md)"
        path_name = where or what
        raise ReportSettingsRefused(
            f"{path_name}: {message}", problems=[(path_name, message)]
        ) from None
