"""Figures the host supplies from its other systems, shown in the KPI section with their targets.

The report computes what the tickets tell; a team also presents figures kept
elsewhere, e.g. 备件库存周转率 (spare-part inventory turnover) from the ERP.
An :class:`ExternalFigure` carries its key, labels, value, unit (written after
the value as given) and an optional target; :func:`external_figures_from_toml`
reads a list of them from a TOML file (``[[figures]]`` tables).

Example:
    >>> turnover = ExternalFigure("parts_turnover", "备件库存周转率", "Spare-part inventory turnover",
    ...                           5.8, "次/年", target=6, direction="at_least")
    >>> turnover.mark, turnover.value_text()
    ('missed', '5.8 次/年')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Final

import attrs

from aftersales._shown import shown
from aftersales.errors.report_settings import ReportSettingsRefused
from aftersales.reports.targets import direction_problem, number_problem, read_toml

__all__ = ["ExternalFigure", "external_figures_from_toml"]

_KEYS: Final = ("key", "label_zh", "label_en", "value", "unit", "target", "direction")


def _text_problem(value: object, *, empty: bool = False) -> str | None:
    if isinstance(value, str) and (empty or value.strip()):
        return None
    return f"{shown(value)} is not a text; accepted: a {'' if empty else 'non-empty '}text"


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@attrs.frozen(slots=True, kw_only=False)
class ExternalFigure:
    """One figure from another system: its ``key``, labels, ``value``, ``unit`` and target.

    ``unit`` is written after the value as given (``""`` for none); ``target``
    (``None``: no target) is met by a value at least or at most it, as
    ``direction`` says.

    Example:
        >>> ExternalFigure("stock_out", "缺件率", "Stock-out rate", 3.5, "%", target=2,
        ...                direction="at_most").mark
        'missed'
        >>> ExternalFigure("x", "", "X", 1, "")
        Traceback (most recent call last):
        ...
        aftersales.errors.report_settings.ReportSettingsRefused: label_zh: '' is not a text; accepted: a non-empty text
    """

    key: str
    label_zh: str
    label_en: str
    value: float
    unit: str = ""
    target: float | None = None
    direction: str = "at_least"

    def __attrs_post_init__(self) -> None:
        checks = (
            ("key", _text_problem(self.key)),
            ("label_zh", _text_problem(self.label_zh)),
            ("label_en", _text_problem(self.label_en)),
            ("value", number_problem(self.value)),
            ("unit", _text_problem(self.unit, empty=True)),
            ("target", None if self.target is None else number_problem(self.target)),
            ("direction", direction_problem(self.direction)),
        )
        problems = [(path, problem) for path, problem in checks if problem is not None]
        if problems:
            raise ReportSettingsRefused.from_problems(problems)

    def label(self, lang: str) -> str:
        """The label in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.label_zh if lang == "zh" else self.label_en

    @property
    def mark(self) -> str | None:
        """``"met"``, ``"missed"`` or ``None`` (no target)."""
        if self.target is None:
            return None
        met = (
            self.value >= self.target if self.direction == "at_least" else self.value <= self.target
        )
        return "met" if met else "missed"

    def value_text(self) -> str:
        """The value with its unit."""
        return f"{_number(self.value)} {self.unit}".strip()

    def target_text(self) -> str:
        """The target with its direction and unit (``—`` when there is none).

        Example:
            >>> ExternalFigure("t", "周转", "Turnover", 5.8, "次/年", target=6).target_text()
            '≥ 6 次/年'
        """
        if self.target is None:
            return "—"
        sign = "≥" if self.direction == "at_least" else "≤"
        return f"{sign} {_number(self.target)} {self.unit}".strip()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the mark."""
        data: dict[str, Any] = {name: getattr(self, name) for name in _KEYS}
        data["mark"] = self.mark
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, path: str = "figure") -> ExternalFigure:
        """The figure a mapping describes (keys as the constructor's); every problem named under ``path``.

        Example:
            >>> ExternalFigure.from_dict({"key": "t", "label_zh": "周转", "label_en": "Turnover",
            ...                           "value": 5.8}).unit
            ''
        """
        if not isinstance(data, Mapping):
            message = f"{shown(data)} is not a table of a figure"
            raise ReportSettingsRefused(f"{path}: {message}", problems=[(path, message)])
        problems = [
            (
                f"{path}.{key}",
                f"{shown(key)} is not a key of a figure; accepted: {', '.join(_KEYS)}",
            )
            for key in data
            if key not in _KEYS
        ]
        problems += [
            (f"{path}.{key}", f"missing; accepted: {what}")
            for key, what in (
                ("key", "a non-empty text"),
                ("label_zh", "a non-empty text"),
                ("label_en", "a non-empty text"),
                ("value", "a number"),
            )
            if key not in data
        ]
        if not problems:
            try:
                return cls(**{key: data[key] for key in _KEYS if key in data})
            except ReportSettingsRefused as error:
                problems = [(f"{path}.{where}", message) for where, message in error.problems]
        raise ReportSettingsRefused.from_problems(problems)


def external_figures_from_toml(source: str | os.PathLike[str]) -> tuple[ExternalFigure, ...]:
    """The figures of a TOML file: ``[[figures]]`` tables with the keys of :class:`ExternalFigure`.

    ``source`` is the file's text, or a path-like to it. Every problem of
    every figure is named in one :class:`~aftersales.errors.ReportSettingsRefused`;
    two figures with the same key are refused.

    Example:
        >>> text = '''
        ... [[figures]]
        ... key = "parts_turnover"
        ... label_zh = "备件库存周转率"
        ... label_en = "Spare-part inventory turnover"
        ... value = 5.8
        ... unit = "次/年"
        ... target = 6
        ... '''
        >>> [figure.mark for figure in external_figures_from_toml(text)]
        ['missed']
    """
    data, where = read_toml(source, "figures")
    prefix = f"{where}:" if where else ""
    problems: list[tuple[str, str]] = [
        (f"{prefix}{key}", f"{shown(key)} is not a key of a figures file; accepted: 'figures'")
        for key in data
        if key != "figures"
    ]
    tables = data.get("figures", [])
    if not isinstance(tables, list):
        problems.append((f"{prefix}figures", f"{shown(tables)} is not a list of [[figures]]"))
        tables = []
    figures: list[ExternalFigure] = []
    seen: set[str] = set()
    for index, table in enumerate(tables):
        path = f"{prefix}figures[{index}]"
        try:
            figure = ExternalFigure.from_dict(table, path=path)
        except ReportSettingsRefused as error:
            problems += error.problems
            continue
        if figure.key in seen:
            problems.append((f"{path}.key", f"{figure.key!r} is a second figure of that key"))
        seen.add(figure.key)
        figures.append(figure)
    if problems:
        raise ReportSettingsRefused.from_problems(problems)
    return tuple(figures)
