"""Access to a customer's contact: the host's policy and the decision it takes.

Public views show contacts masked. Seeing one unmasked is a decision of the
embedding application (its roles, its duty roster, its data-protection rules),
so the library asks a :class:`ContactAccess` policy the host implements, and
keeps the answer as an :class:`AccessDecision`: who, for what purpose, on which
ticket, when, granted or not, and why. ``ServiceDesk.reveal_contact`` records
a granted decision in the ticket's history before it shows anything.
:class:`AllowedViewers` is a small ready-made policy (a fixed list of viewers,
optionally of purposes). Imports: the domain only.

Example:
    >>> import pendulum
    >>> from aftersales.testing.samples import sample_ticket
    >>> policy = AllowedViewers({"王经理"}, purposes={"回访", "投诉处理"})
    >>> at = pendulum.datetime(2024, 5, 14, 9, tz="Asia/Shanghai")
    >>> policy.decide("王经理", sample_ticket(), "回访", at=at).granted
    True
    >>> policy.decide("实习生", sample_ticket(), "回访", at=at).reason
    "'实习生' is not an allowed viewer"
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._shown import shown

if TYPE_CHECKING:
    from aftersales.model.ticket import Ticket

__all__ = ["AccessDecision", "AllowedViewers", "ContactAccess"]


@attrs.frozen(slots=True, kw_only=True)
class AccessDecision:
    """A policy's answer to "may ``viewer`` see this ticket's contact for ``purpose``?".

    ``at`` is when it was decided (stored in UTC); ``reason`` says why
    (recorded with a granted reveal as its grounds, or carried by the
    :class:`~aftersales.errors.AccessDenied` of a refusal).

    Example:
        >>> import pendulum
        >>> decision = AccessDecision(ticket_id="T1", viewer="王经理", purpose="回访", granted=True,
        ...                           at=pendulum.datetime(2024, 5, 14, 9, tz="Asia/Shanghai"))
        >>> decision.at.isoformat()
        '2024-05-14T01:00:00+00:00'
    """

    ticket_id: str
    viewer: str
    purpose: str
    granted: bool
    at: pendulum.DateTime
    reason: str = ""

    _checks: ClassVar[check.Checks] = (
        ("ticket_id", check.identifier),
        ("viewer", check.text),
        ("purpose", check.text),
        ("granted", check.flag),
        ("at", check.aware),
        ("reason", check.optional_text),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)


@runtime_checkable
class ContactAccess(Protocol):
    """The host's rule for showing a contact unmasked (implement ``decide``).

    Example:
        >>> class OnDuty:
        ...     def decide(self, viewer, ticket, purpose, *, at):
        ...         return AccessDecision(ticket_id=ticket.id, viewer=viewer, purpose=purpose,
        ...                               granted=viewer == ticket.assignee, at=at,
        ...                               reason="the ticket's assignee")
        >>> isinstance(OnDuty(), ContactAccess)
        True
    """

    def decide(
        self, viewer: str, ticket: Ticket, purpose: str, *, at: pendulum.DateTime
    ) -> AccessDecision:
        """Whether ``viewer`` may see ``ticket``'s contact for ``purpose``, decided at ``at``."""
        ...


class AllowedViewers:
    """A :class:`ContactAccess` granting a fixed set of viewers (and, if given, purposes).

    Example:
        >>> import pendulum
        >>> from aftersales.testing.samples import sample_ticket
        >>> at = pendulum.datetime(2024, 5, 14, 9, tz="Asia/Shanghai")
        >>> AllowedViewers({"王经理"}).decide("王经理", sample_ticket(), "任何目的", at=at).granted
        True
    """

    def __init__(self, viewers: Iterable[str], *, purposes: Iterable[str] | None = None) -> None:
        self.viewers = frozenset(check.items(viewers, "viewers"))
        self.purposes = None if purposes is None else frozenset(check.items(purposes, "purposes"))

    def decide(
        self, viewer: str, ticket: Ticket, purpose: str, *, at: pendulum.DateTime
    ) -> AccessDecision:
        """Granted when ``viewer`` is allowed and so is ``purpose`` (any, when none were given)."""
        if viewer not in self.viewers:
            granted, reason = False, f"{shown(viewer)} is not an allowed viewer"
        elif self.purposes is not None and purpose not in self.purposes:
            granted, reason = False, f"{shown(purpose)} is not an allowed purpose"
        else:
            granted, reason = True, "an allowed viewer and purpose"
        return AccessDecision(
            ticket_id=ticket.id,
            viewer=viewer,
            purpose=purpose,
            granted=granted,
            at=at,
            reason=reason,
        )
