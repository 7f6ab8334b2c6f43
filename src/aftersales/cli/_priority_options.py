"""The priority options of a command whose desk opens tickets: ``--priority-levels``, ``--default-priority``.

``aftersales serve`` opens tickets and changes priorities for front ends. A
company on four levels (urgent, high, medium, low: Zendesk's and Frappe
Helpdesk's) says ``--priority-levels four`` (without it, the levels of the
SLA policy: a stored policy file's, else the seeds' three);
``--default-priority LEVEL`` gives a ticket opened without a priority that
level instead of consulting the priority rules (Frappe's
``default_priority``). :func:`add_priority_options` declares them on a parser
and :func:`priority_desk` builds the desk they describe over a store, an SLA
policy and the priority rules (a stored policy file's, else the default ones).

Example:
    >>> import argparse
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy
    >>> from aftersales.storage import MemoryStore
    >>> parser = argparse.ArgumentParser()
    >>> add_priority_options(parser)
    >>> args = parser.parse_args(["--priority-levels", "four", "--default-priority", "低"])
    >>> desk = priority_desk(args, MemoryStore(), SlaPolicy.default(WorkCalendar.always()))
    >>> desk.priority_scale.codes, desk.sla_policy.default_priority, desk.priority_rules
    (('urgent', 'high', 'medium', 'low'), 'low', None)
"""

from __future__ import annotations

import argparse

from aftersales.priority import DEFAULT_PRIORITY_RULES, PriorityRules
from aftersales.priority_levels import PriorityScale
from aftersales.service.desk import ServiceDesk
from aftersales.sla import SlaPolicy
from aftersales.storage.ports import TicketStore

__all__ = ["add_priority_options", "priority_desk"]

_SCALES = {"three": PriorityScale.three_levels, "four": PriorityScale.four_levels}


def add_priority_options(parser: argparse.ArgumentParser) -> None:
    """Declare ``--priority-levels`` and ``--default-priority`` on ``parser``.

    Example:
        >>> parser = argparse.ArgumentParser()
        >>> add_priority_options(parser)
        >>> args = parser.parse_args([])
        >>> args.priority_levels, args.default_priority
        (None, None)
    """
    parser.add_argument(
        "--priority-levels",
        choices=tuple(_SCALES),
        help="the priority levels tickets get: urgent/important/general, or"
        " urgent/high/medium/low reported as urgent/important/general/general"
        " (default: the SLA policy's, three without a stored policy file)",
    )
    parser.add_argument(
        "--default-priority",
        metavar="LEVEL",
        help="the level of a ticket opened without a priority, instead of the priority"
        " rules, e.g. medium (default: the priority rules decide)",
    )


def priority_desk(
    args: argparse.Namespace,
    store: TicketStore,
    policy: SlaPolicy,
    rules: PriorityRules = DEFAULT_PRIORITY_RULES,
) -> ServiceDesk:
    """The desk on ``store`` with ``policy``, the levels and default ``args`` name, and ``rules``.

    ``rules`` decide a ticket opened without a priority unless
    ``--default-priority`` is given (then no rules are consulted).

    An unknown ``--default-priority`` raises :class:`~aftersales.errors.UnknownValue`
    naming the levels.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.storage import MemoryStore
        >>> args = argparse.Namespace(priority_levels="three", default_priority="high")
        >>> priority_desk(args, MemoryStore(), SlaPolicy.default(WorkCalendar.always()))
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: priority: 'high' is not a known value; accepted: 'urgent', 'important', 'general'
    """
    scale = None if args.priority_levels is None else _SCALES[args.priority_levels]()
    levels = policy.with_options(priority_scale=scale, default_priority=args.default_priority)
    consulted = rules if args.default_priority is None else None
    return ServiceDesk(store, sla=levels, priority_rules=consulted)
