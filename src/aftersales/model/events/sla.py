"""The SLA notice events: a clock crossed a warning level or went past its target.

Recorded once per clock cycle and level, so that a host notifies once (see
:meth:`aftersales.ServiceDesk.check_sla`). Imports: the event base only.

Events are named in the past tense: :class:`SlaWarned` (its serialized
``type`` is ``"sla_warning"``, as it was when the class was called
``SlaWarning``, so stored events read unchanged) and :class:`SlaBreached`.
``SlaWarning`` still names :class:`SlaWarned` for one release, with a
:class:`DeprecationWarning`.

Example:
    >>> SlaWarned.type, SlaBreached.type
    ('sla_warning', 'sla_breached')
"""

from __future__ import annotations

from typing import ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._lazy import lazy_attributes
from aftersales.model.events.base import BASE_CHECKS, TicketEvent
from aftersales.model.fields import OMITTED_WHEN_NONE

__all__ = [
    "SlaBreached",
    "SlaCrossing",
    "SlaPolicyChosen",
    "SlaWarned",
]


@attrs.frozen(slots=True, kw_only=True)
class SlaCrossing(TicketEvent):
    """What an SLA notice records: which clock, which cycle and level, and when.

    ``at`` is when the crossing was noticed; ``crossed_at`` when it happened.

    Example:
        >>> issubclass(SlaWarned, SlaCrossing) and issubclass(SlaBreached, SlaCrossing)
        True
    """

    metric: str
    cycle: int
    level: int
    crossed_at: pendulum.DateTime
    due_at: pendulum.DateTime

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("metric", check.identifier),
        ("cycle", check.integer(0)),
        ("level", check.integer(1, 99)),
        ("crossed_at", check.aware),
        ("due_at", check.aware),
    )


@attrs.frozen(slots=True, kw_only=True)
class SlaWarned(SlaCrossing):
    """An SLA clock crossed a warning level (recorded once, so hosts notify once).

    Example:
        >>> SlaWarned.command
        'record_sla_warning'
    """

    command: ClassVar[str] = "record_sla_warning"
    type: ClassVar[str] = "sla_warning"


@attrs.frozen(slots=True, kw_only=True)
class SlaBreached(SlaCrossing):
    """An SLA clock went past its target (recorded once, so hosts notify once).

    Example:
        >>> SlaBreached.command
        'record_sla_breach'
    """

    command: ClassVar[str] = "record_sla_breach"
    type: ClassVar[str] = "sla_breached"


@attrs.frozen(slots=True, kw_only=True)
class SlaPolicyChosen(TicketEvent):
    """The SLA policy the ticket is measured under from now on, and why.

    The desk records it when a ticket is registered under
    :class:`~aftersales.sla.SlaPolicies` (the rule that chose it) and when a
    change of the ticket or an explicit ``change_sla_policy`` moves it to
    another; a later change of the rules never rewrites it. The model does not
    consult the policies (a history stays readable whatever is declared later).
    ``policy_version`` is the version of the store's adopted policy file
    (:class:`~aftersales.storage.ports.PolicyStore`) the desk's policies came
    from, so a ticket's history says which version judged it.

    Example:
        >>> SlaPolicyChosen.command, SlaPolicyChosen.type
        ('change_sla_policy', 'sla_policy_chosen')
    """

    command: ClassVar[str] = "change_sla_policy"
    type: ClassVar[str] = "sla_policy_chosen"

    sla_policy: str
    reason: str = ""
    #: The version of the store's policy file the policy came from (``None``: a policy
    #: in code, or an event recorded before versions were).
    policy_version: int | None = attrs.field(default=None, metadata={OMITTED_WHEN_NONE: True})

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("sla_policy", check.identifier),
        ("reason", check.optional_text),
        ("policy_version", check.optional(check.integer(1))),
    )


#: Event classes by their old names, and where they are now (a DeprecationWarning on use).
_RENAMED_EVENTS = {"SlaWarning": "aftersales.model.events.sla:SlaWarned"}

__getattr__ = lazy_attributes(__name__, {}, deprecated=_RENAMED_EVENTS)
