"""The SLA policy of the command line: the store's adopted policy in force, or the demo's.

Every command that reads or writes a store's SLA clocks and read models
(``report``, ``sla sweep``, ``projections rebuild``, ``serve``) uses one
policy, so the facts one command stores are the facts the others read (a
policy is part of the facts' projection key): :func:`store_policy`, the
version of the store's policy file in force at the command's instant
(``aftersales sla policy load``), its calendars named by name
(:func:`policy_calendars`); with none adopted, :func:`command_line_policy`,
the demo's policies. Their sub-statuses (待备件, 待客户寄回, 待厂家) pause the
resolution clock.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> policy = command_line_policy(WorkCalendar.always())
    >>> [s.code for s in policy.substatuses]
    ['waiting_parts', 'waiting_customer_return', 'waiting_manufacturer']
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

import attrs
import pendulum

from aftersales.calendar import WorkCalendar
from aftersales.cli._calendar import calendar_of
from aftersales.demo import demo_policy
from aftersales.demo.contracts import OUTLET_CALENDAR, outlet_policy
from aftersales.demo.teams import DEMO_CALENDARS
from aftersales.sla import SlaPolicy
from aftersales.sla.policy_document import PolicyDocument, document_of

__all__ = [
    "command_line_document",
    "command_line_policy",
    "policy_calendars",
    "store_policy",
]


def command_line_policy(calendar: WorkCalendar) -> SlaPolicy:
    """:meth:`SlaPolicy.default` on ``calendar`` with the after-sales sub-statuses (:func:`~aftersales.demo.demo_policy`).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> command_line_policy(WorkCalendar.always()).substatuses.get("待备件").code
        'waiting_parts'
    """
    return demo_policy(calendar)


def command_line_document(args: argparse.Namespace, calendar: WorkCalendar) -> PolicyDocument:
    """:func:`command_line_policy` as a policy file's document, its calendar named by ``--calendar``.

    Example:
        >>> args = argparse.Namespace(calendar="always", tz="UTC", complete_years=None)
        >>> command_line_document(args, WorkCalendar.always("UTC")).calendar_names
        ('always', '广州网点')
    """
    outlet = outlet_policy(calendar).calendar
    return document_of(
        command_line_policy(calendar), {args.calendar: calendar, OUTLET_CALENDAR: outlet}
    )


def policy_calendars(args: argparse.Namespace, store: Any) -> dict[str, WorkCalendar]:
    """The calendars a policy file may name: ``china``, ``always``, the store's, the demo's.

    ``china`` and ``always`` are built as ``--calendar`` builds them (zone,
    complete years, the store's official schedules); a stored calendar's name
    is its definition, with the complete years of ``china``; the demo's
    calendars (上海总部, 广州网点) are there when the store has none of their name.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> args = argparse.Namespace(calendar="china", tz="Asia/Shanghai", complete_years=None)
        >>> sorted(policy_calendars(args, MemoryStore()))
        ['always', 'china', '上海总部', '广州网点']
    """
    china = calendar_of(argparse.Namespace(**{**vars(args), "calendar": "china"}), store)
    named = {"china": china, "always": WorkCalendar.always(args.tz)}
    definitions = {**DEMO_CALENDARS, **store.find_calendars()}
    for name, definition in definitions.items():
        years = tuple(sorted({*definition.complete_years, *china.complete_years}))
        named.setdefault(
            name, attrs.evolve(definition, complete_years=years).build(china.schedules)
        )
    return named


def store_policy(args: argparse.Namespace, store: Any, at: datetime | None = None) -> SlaPolicy:
    """The store's policy in force at ``at`` (default: now), or :func:`command_line_policy`.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> from aftersales.testing.samples import sample_policy_document
        >>> args = argparse.Namespace(calendar="always", tz="UTC", complete_years=None)
        >>> store = MemoryStore()
        >>> store_policy(args, store).names
        ('standard', 'vip', 'outlet')
        >>> store.adopt_policy(sample_policy_document(), pendulum.datetime(2026, 1, 1))
        1
        >>> policy = store_policy(args, store, pendulum.datetime(2026, 12, 1))
        >>> policy.names, policy.version
        (('standard',), 1)
    """
    found = store.policy_in_force(pendulum.now("UTC") if at is None else at)
    if found is None:
        return command_line_policy(calendar_of(args, store))
    built: SlaPolicy = found.document.build(policy_calendars(args, store), version=found.version)
    return built
