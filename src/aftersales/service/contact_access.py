"""Revealing a customer's contact: ask the host's policy, record the grant, then show it.

:meth:`ServiceDesk.reveal_contact <aftersales.ServiceDesk.reveal_contact>` runs
:func:`contact_reveal` on the stored ticket and saves the result: the lifecycle
must allow the reveal (any status but cancelled), the host's
:class:`~aftersales.views.ContactAccess` policy decides, a refusal raises
:class:`~aftersales.errors.AccessDenied` with nothing recorded, and a grant
becomes a :class:`~aftersales.model.events.ContactRevealed` event (who, why,
when, on what grounds) before anything is shown. What the caller gets is a
:class:`ContactReveal`: the contact, the decision, and the ticket view it
unlocks. Imports: the domain only.

Example:
    >>> import pendulum
    >>> from aftersales.testing.samples import sample_ticket
    >>> from aftersales.views import AllowedViewers
    >>> at = pendulum.datetime(2024, 5, 14, 9, tz="Asia/Shanghai")
    >>> ticket, decision = contact_reveal(sample_ticket(), by="王经理", purpose="低分回访",
    ...                                   access=AllowedViewers({"王经理"}), at=at)
    >>> ticket.history[-1].type, ticket.history[-1].by, ticket.contact.phone
    ('contact_revealed', '王经理', '13812345678')
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import AccessDenied, InvalidData, InvalidTransition
from aftersales.lifecycle import TRANSITIONS
from aftersales.model.customer import Contact
from aftersales.model.events import ContactRevealed
from aftersales.model.masking import MaskingPolicy, default_masking
from aftersales.model.ticket import Ticket
from aftersales.views import AccessDecision, ContactAccess, history_view, ticket_view

__all__ = ["ContactReveal", "contact_reveal"]


@attrs.frozen(slots=True)
class ContactReveal:
    """A granted, recorded reveal: the ticket after its audit event, and the decision.

    Example:
        >>> import pendulum
        >>> from aftersales.testing.samples import sample_ticket
        >>> from aftersales.views import AllowedViewers
        >>> at = pendulum.datetime(2024, 5, 14, 9, tz="Asia/Shanghai")
        >>> reveal = ContactReveal(*contact_reveal(
        ...     sample_ticket(), by="王经理", purpose="回访", access=AllowedViewers({"王经理"}), at=at))
        >>> reveal.view()["contact"]["phone"], reveal.view()["contact_masked"]
        ('13812345678', False)
    """

    ticket: Ticket
    decision: AccessDecision

    @property
    def contact(self) -> Contact | None:
        """The ticket's contact, unmasked (``None`` when the ticket has none)."""
        return self.ticket.contact

    def view(self, masking: MaskingPolicy | None = None) -> dict[str, Any]:
        """The ticket's JSON view with its contact shown (see :func:`~aftersales.views.ticket_view`)."""
        return ticket_view(self.ticket, reveal=self.decision, masking=masking)

    def history_view(self) -> list[dict[str, Any]]:
        """The ticket's history view with its contacts shown."""
        return history_view(self.ticket, reveal=self.decision)


def contact_reveal(
    ticket: Ticket, *, by: str, purpose: str, access: ContactAccess, at: pendulum.DateTime
) -> tuple[Ticket, AccessDecision]:
    """``ticket`` with the reveal to ``by`` for ``purpose`` recorded, and the policy's decision.

    Raises :class:`~aftersales.errors.InvalidTransition` on a cancelled
    ticket, :class:`~aftersales.errors.AccessDenied` when ``access`` refuses,
    and :class:`~aftersales.errors.InvalidData` for bad arguments or a decision
    that does not answer the question asked; ``access`` is asked only once the
    arguments and the lifecycle allow the reveal.
    """
    check.run_checks_on(
        {
            "by": (by, check.text),
            "purpose": (purpose, check.text),
            "access": (
                access,
                check.protocol(ContactAccess, "decide(viewer, ticket, purpose, *, at)"),
            ),
        }
    )
    if not TRANSITIONS.is_allowed(ticket.status, ContactRevealed.command):
        raise InvalidTransition(
            ticket.id, ticket.status, ContactRevealed.command, ticket.allowed_commands()
        )
    decision = access.decide(by, ticket, purpose, at=at)
    _check_answers(decision, ticket, by, purpose, at)
    if not decision.granted:
        shown = default_masking().text  # a purpose may quote a number: an error never shows it
        raise AccessDenied(
            ticket.id, viewer=shown(by), purpose=shown(purpose), reason=shown(decision.reason)
        )
    event = ticket.new_event(
        ContactRevealed, by=by, at=at, purpose=purpose, grounds=decision.reason
    )
    return ticket.apply(event), decision


def _check_answers(
    decision: object, ticket: Ticket, viewer: str, purpose: str, at: pendulum.DateTime
) -> None:
    """Refuse a decision that is not an :class:`AccessDecision` on exactly what was asked."""
    if not isinstance(decision, AccessDecision):
        message = (
            f"the policy returned {type(decision).__name__};"
            " accepted: an AccessDecision from ContactAccess.decide"
        )
        raise InvalidData(f"access: {message}", problems=[("access", message)])
    asked = {"ticket_id": ticket.id, "viewer": viewer, "purpose": purpose, "at": at}
    problems = [
        (
            f"access.decide(...).{name}",
            f"{shown(getattr(decision, name))} does not answer the question asked;"
            f" accepted: {shown(value)}",
        )
        for name, value in asked.items()
        if getattr(decision, name) != value
    ]
    if problems:
        raise InvalidData.from_problems(problems)
