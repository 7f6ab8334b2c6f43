"""SLA policies as data: what a policy file declares, as comparable values, and the policies it builds.

A :class:`PolicyDocument` holds everything an operations team declares about
its service promises: the named policies (each a calendar named by name and
its metrics: triggers, pause statuses, targets per priority, warning levels,
reopen policy), the sub-statuses that pause clocks, the priority levels and
default level, and the rules that choose a policy for a ticket. It is a
value: two documents declaring the same policies are equal, whatever the
order of the policies or of the targets. :meth:`PolicyDocument.build` makes
the :class:`~aftersales.sla.SlaPolicies` on the calendars given by name;
:func:`document_of` writes a policy made in code as a document (its trigger
filters must be :class:`~aftersales.sla.trigger_filters.TriggerFilter` values
or the built-in metrics' own). :mod:`aftersales.sla.policy_file` reads and
writes documents as TOML. Imports the SLA policy classes and the calendar.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy
    >>> document = document_of(SlaPolicy.default(WorkCalendar.china()), {"china": WorkCalendar.china()})
    >>> document.default, [metric.name for metric in document.policies["standard"].metrics][:2]
    ('standard', ['first_response', 'resolution'])
    >>> policies = document.build({"china": WorkCalendar.china()})
    >>> policies.names
    ('standard',)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Final

import attrs

from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.errors.policy_file import PolicyFileRefused
from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES, SubStatus, SubStatuses
from aftersales.priority_levels import PriorityLevel, PriorityScale
from aftersales.sla.metrics import ReopenPolicy, SlaMetric
from aftersales.sla.policy import SlaPolicy
from aftersales.sla.selection import SlaPolicies, SlaRule
from aftersales.sla.targets import Target
from aftersales.sla.trigger_filters import TriggerFilter, filter_of
from aftersales.sla.triggers import Trigger
from aftersales.vocab import TicketStatus

__all__ = [
    "BUILT_IN_CALENDARS",
    "MetricSpec",
    "PolicyDocument",
    "PolicySpec",
    "TriggerSpec",
    "document_of",
]

#: The calendar names every policy file may use without a stored calendar of that name.
BUILT_IN_CALENDARS: Final = ("china", "always")

_PLACEHOLDER: Final = WorkCalendar.always()


def _refused(error: InvalidData, prefix: str) -> list[tuple[str, str]]:
    """``error``'s problems with their paths under ``prefix``."""
    return [
        (f"{prefix}.{path}" if path and prefix else path or prefix, message)
        for path, message in error.problems
    ]


def _specs(value: Iterable[TriggerSpec]) -> tuple[TriggerSpec, ...]:
    return tuple(value)


def _metrics(value: Iterable[MetricSpec]) -> tuple[MetricSpec, ...]:
    return tuple(value)


def _rules(value: Iterable[SlaRule]) -> tuple[SlaRule, ...]:
    return tuple(value)


def _substatuses(value: Iterable[SubStatus]) -> tuple[SubStatus, ...]:
    return tuple(value)


def _levels(value: Iterable[PriorityLevel]) -> tuple[PriorityLevel, ...]:
    return tuple(value)


@attrs.frozen(slots=True)
class TriggerSpec:
    """A trigger as data: a command, an optional named filter, a label, the triggers that hold it back.

    Example:
        >>> spec = TriggerSpec("record_visit", TriggerFilter("score_below", 3), "visit scored under 3")
        >>> spec.build().label
        'visit scored under 3'
        >>> TriggerSpec("acknowledge", TriggerFilter("outbound"))
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: when: the filter 'outbound' reads record_contact events; accepted: a filter of acknowledge events, or none
    """

    command: str
    when: TriggerFilter | None = None
    label: str = ""
    unless: tuple[TriggerSpec, ...] = attrs.field(default=(), kw_only=True, converter=_specs)

    def __attrs_post_init__(self) -> None:
        trigger = self.build()
        object.__setattr__(self, "command", trigger.command)  # an old name is its new one
        if self.when is not None and not isinstance(self.when, TriggerFilter):
            message = f"{self.when!r} is not a TriggerFilter; accepted: a TriggerFilter or None"
            raise InvalidData(f"when: {message}", problems=[("when", message)])
        if self.when is not None and self.command not in self.when.commands:
            message = (
                f"the filter {self.when.kind!r} reads {', '.join(self.when.commands)} events;"
                f" accepted: a filter of {self.command} events, or none"
            )
            raise InvalidData(f"when: {message}", problems=[("when", message)])

    def build(self) -> Trigger:
        """The :class:`~aftersales.sla.Trigger` this describes."""
        return Trigger(
            self.command, self.when, self.label, unless=tuple(u.build() for u in self.unless)
        )

    @classmethod
    def of(cls, trigger: Trigger) -> TriggerSpec:
        """``trigger`` as data; ``InvalidData`` when its filter is a function a file cannot hold.

        Example:
            >>> TriggerSpec.of(Trigger("acknowledge")).command
            'acknowledge'
        """
        return cls(
            trigger.command,
            filter_of(trigger.when),
            trigger.label,
            unless=tuple(cls.of(u) for u in trigger.unless),
        )


@attrs.frozen(slots=True, kw_only=True)
class MetricSpec:
    """An SLA metric as data: the fields of :class:`~aftersales.sla.SlaMetric`, its calendar by name.

    ``targets`` are keyed by a priority's value or a level code; ``calendar``
    ``None`` measures the metric on its policy's calendar.

    Example:
        >>> from aftersales.sla import WorkingTime
        >>> spec = MetricSpec(name="quote", label_zh="报价时限", label_en="quote within",
        ...     starts=(TriggerSpec("acknowledge"),), stops=(TriggerSpec("propose_solution"),),
        ...     targets={"urgent": WorkingTime(timedelta(hours=2))})
        >>> spec.build({}).name
        'quote'
    """

    name: str
    label_zh: str
    label_en: str
    starts: tuple[TriggerSpec, ...] = attrs.field(converter=_specs)
    stops: tuple[TriggerSpec, ...] = attrs.field(converter=_specs)
    targets: Mapping[str, Target]
    restarts: tuple[TriggerSpec, ...] = attrs.field(default=(), converter=_specs)
    resumes: tuple[TriggerSpec, ...] = attrs.field(default=(), converter=_specs)
    void: tuple[TriggerSpec, ...] = attrs.field(default=(), converter=_specs)
    pause_in: frozenset[TicketStatus] = frozenset()
    categories: frozenset[str] | None = None
    warn_at: tuple[float | timedelta, ...] = (0.5, 0.8)
    reopen: ReopenPolicy = ReopenPolicy.CONTINUE
    calendar: str | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.targets, Mapping):
            message = f"{type(self.targets).__name__} is not a mapping; accepted: {{level: target}}"
            raise InvalidData(f"targets: {message}", problems=[("targets", message)])
        object.__setattr__(self, "targets", {str(k): v for k, v in self.targets.items()})
        metric = self.build({} if self.calendar is None else {self.calendar: _PLACEHOLDER})
        object.__setattr__(self, "targets", {str(k): v for k, v in metric.targets.items()})
        object.__setattr__(self, "pause_in", metric.pause_in)
        object.__setattr__(self, "categories", metric.categories)
        object.__setattr__(self, "warn_at", metric.warn_at)
        object.__setattr__(self, "reopen", metric.reopen)

    @classmethod
    def of(cls, metric: SlaMetric) -> MetricSpec:
        """A metric without a calendar of its own, as data.

        Example:
            >>> from aftersales.sla.metrics import default_metrics
            >>> MetricSpec.of(default_metrics()[3]).starts[0].when
            TriggerFilter(kind='score_below', value=3)
        """
        return _metric_of(metric, None)

    def build(self, calendars: Mapping[str, WorkCalendar]) -> SlaMetric:
        """The metric, on ``calendars[self.calendar]`` when it names one."""
        return SlaMetric(
            name=self.name,
            label_zh=self.label_zh,
            label_en=self.label_en,
            starts=tuple(t.build() for t in self.starts),
            stops=tuple(t.build() for t in self.stops),
            targets=self.targets,
            restarts=tuple(t.build() for t in self.restarts),
            resumes=tuple(t.build() for t in self.resumes),
            void=tuple(t.build() for t in self.void),
            pause_in=self.pause_in,
            categories=self.categories,
            warn_at=self.warn_at,
            reopen=self.reopen,
            calendar=None if self.calendar is None else calendars[self.calendar],
        )


@attrs.frozen(slots=True)
class PolicySpec:
    """A named policy as data: the name of its calendar and its metrics, in order.

    Example:
        >>> from aftersales.sla.metrics import default_metrics
        >>> spec = PolicySpec("always", tuple(MetricSpec.of(m) for m in default_metrics()))
        >>> len(spec.metrics)
        5
    """

    calendar: str
    metrics: tuple[MetricSpec, ...] = attrs.field(converter=_metrics)


def _metric_of(metric: SlaMetric, calendar: str | None) -> MetricSpec:
    def specs(triggers: tuple[Trigger, ...]) -> tuple[TriggerSpec, ...]:
        return tuple(TriggerSpec.of(t) for t in triggers)

    return MetricSpec(
        name=metric.name,
        label_zh=metric.label_zh,
        label_en=metric.label_en,
        starts=specs(metric.starts),
        stops=specs(metric.stops),
        targets={str(k): v for k, v in metric.targets.items()},
        restarts=specs(metric.restarts),
        resumes=specs(metric.resumes),
        void=specs(metric.void),
        pause_in=metric.pause_in,
        categories=metric.categories,
        warn_at=metric.warn_at,
        reopen=metric.reopen,
        calendar=calendar,
    )


@attrs.frozen(slots=True, kw_only=True)
class PolicyDocument:
    """Named policies, the rules choosing one, the default, sub-statuses and priority levels.

    Checked when made: everything :meth:`build` would refuse but the calendar
    names (which depend on the store) raises
    :class:`~aftersales.errors.PolicyFileRefused` listing every problem.

    Example:
        >>> from aftersales.sla.metrics import default_metrics
        >>> standard = PolicySpec("china", [MetricSpec.of(m) for m in default_metrics()])
        >>> PolicyDocument(policies={"standard": standard}, default="vip")
        Traceback (most recent call last):
        ...
        aftersales.errors.policy_file.PolicyFileRefused: default: 'vip' is not a policy; accepted: ['standard']
    """

    policies: Mapping[str, PolicySpec]
    default: str
    rules: tuple[SlaRule, ...] = attrs.field(default=(), converter=_rules)
    substatuses: tuple[SubStatus, ...] = attrs.field(
        default=_substatuses(AFTER_SALES_SUBSTATUSES), converter=_substatuses
    )
    priority_levels: tuple[PriorityLevel, ...] = attrs.field(
        default=_levels(PriorityScale.three_levels()), converter=_levels
    )
    default_priority: str | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.policies, Mapping):
            message = f"{type(self.policies).__name__}; accepted: a {{name: PolicySpec}} mapping"
            raise PolicyFileRefused(f"policies: {message}", problems=[("policies", message)])
        object.__setattr__(self, "policies", dict(self.policies))
        self.build(dict.fromkeys(self.calendar_names, _PLACEHOLDER))

    @property
    def calendar_names(self) -> tuple[str, ...]:
        """Every calendar name the document uses, sorted.

        Example:
            >>> from aftersales.sla.metrics import default_metrics
            >>> standard = PolicySpec("china", [MetricSpec.of(m) for m in default_metrics()])
            >>> PolicyDocument(policies={"standard": standard}, default="standard").calendar_names
            ('china',)
        """
        names = {spec.calendar for spec in self.policies.values()}
        names |= {
            metric.calendar
            for spec in self.policies.values()
            for metric in spec.metrics
            if metric.calendar is not None
        }
        return tuple(sorted(names))

    def build(
        self, calendars: Mapping[str, WorkCalendar], *, version: int | None = None
    ) -> SlaPolicies:
        """The policies on ``calendars`` (by name): :class:`PolicyFileRefused` naming every problem.

        ``version`` is the store's version of the document (recorded with every
        choice the desk makes under the policies).

        Example:
            >>> from aftersales.sla.metrics import default_metrics
            >>> standard = PolicySpec("广州网点", [MetricSpec.of(m) for m in default_metrics()])
            >>> PolicyDocument(policies={"standard": standard}, default="standard").build({})
            Traceback (most recent call last):
            ...
            aftersales.errors.policy_file.PolicyFileRefused: policies.standard.calendar: '广州网点' is not a calendar; accepted: []
        """
        problems: list[tuple[str, str]] = []
        accepted = sorted(calendars)
        for name, spec in self.policies.items():
            if spec.calendar not in calendars:
                message = f"{spec.calendar!r} is not a calendar; accepted: {accepted}"
                problems.append((f"policies.{name}.calendar", message))
            for index, metric in enumerate(spec.metrics):
                if metric.calendar is not None and metric.calendar not in calendars:
                    message = f"{metric.calendar!r} is not a calendar; accepted: {accepted}"
                    problems.append((f"policies.{name}.metrics[{index}].calendar", message))
        try:
            catalog = SubStatuses(self.substatuses)
            scale = PriorityScale(self.priority_levels)
        except InvalidData as error:
            problems.extend(error.problems)
        else:
            if self.default_priority is not None and self.default_priority not in scale.codes:
                message = (
                    f"{self.default_priority!r} is not a level code;"
                    f" accepted: one of {list(scale.codes)}"
                )
                problems.append(("priority.default", message))
        if problems:
            raise PolicyFileRefused.from_problems(problems)
        named: dict[str, SlaPolicy] = {}
        for name, spec in self.policies.items():
            try:
                named[name] = SlaPolicy(
                    [m.build(calendars) for m in spec.metrics],
                    calendars[spec.calendar],
                    substatuses=catalog,
                    priority_scale=scale,
                    default_priority=self.default_priority,
                )
            except InvalidData as error:
                problems.extend(_refused(error, f"policies.{name}"))
        if problems:
            raise PolicyFileRefused.from_problems(problems)
        try:
            return SlaPolicies(named, self.rules, default=self.default, version=version)
        except InvalidData as error:
            raise PolicyFileRefused.from_problems(list(error.problems)) from None


def _same_calendar(a: WorkCalendar, b: WorkCalendar) -> bool:
    if a is b:
        return True
    return bool(
        a.tz.name == b.tz.name
        and a.week == b.week
        and a.holidays == b.holidays
        and a.workdays == b.workdays
        and a.special_hours == b.special_hours
        and a.workday_hours == b.workday_hours
        and a.source == b.source
        and set(a.complete_years) == set(b.complete_years)
        and a.covered_years == b.covered_years
    )


def _name_of(calendar: WorkCalendar, calendars: Mapping[str, WorkCalendar], path: str) -> str:
    for name, known in calendars.items():
        if _same_calendar(calendar, known):
            return name
    message = f"its calendar is none of {sorted(calendars)}; accepted: a calendar given by name"
    raise PolicyFileRefused(f"{path}: {message}", problems=[(path, message)])


def document_of(policy: SlaPolicy, calendars: Mapping[str, WorkCalendar]) -> PolicyDocument:
    """``policy`` (one policy, named ``standard``, or :class:`~aftersales.sla.SlaPolicies`) as data.

    Each calendar is named by the first of ``calendars`` it equals;
    :class:`~aftersales.errors.PolicyFileRefused` when one is none of them or
    a trigger's filter is a function a file cannot hold.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> document_of(SlaPolicy.default(WorkCalendar.always("UTC")), {"china": WorkCalendar.china()})
        Traceback (most recent call last):
        ...
        aftersales.errors.policy_file.PolicyFileRefused: policies.standard.calendar: its calendar is none of ['china']; accepted: a calendar given by name
    """
    if isinstance(policy, SlaPolicies):
        named = dict(policy.policies)
        rules, default = policy.rules, policy.default_name
    else:
        named, rules, default = {"standard": policy}, (), "standard"
    specs: dict[str, PolicySpec] = {}
    problems: list[tuple[str, str]] = []
    for name, each in named.items():
        try:
            metrics = [
                _metric_of(
                    m,
                    None
                    if m.calendar is None
                    else _name_of(m.calendar, calendars, f"policies.{name}.metrics[{i}].calendar"),
                )
                for i, m in enumerate(each.metrics)
            ]
            specs[name] = PolicySpec(
                _name_of(each.calendar, calendars, f"policies.{name}.calendar"), metrics
            )
        except InvalidData as error:
            problems.extend(error.problems)
    if problems:
        raise PolicyFileRefused.from_problems(problems)
    return PolicyDocument(
        policies=specs,
        default=default,
        rules=rules,
        substatuses=_substatuses(policy.substatuses),
        priority_levels=_levels(policy.priority_scale),
        default_priority=policy.default_priority,
    )
