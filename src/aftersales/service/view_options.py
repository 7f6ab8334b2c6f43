"""What a desk tells the public views: its sub-statuses, its priority scale, its store's attributes.

:func:`view_options` gives the keyword arguments of
:func:`~aftersales.views.ticket_view` that label a ticket the way the desk
is configured: the sub-status labels of its SLA policy, the levels of its
priority scale and the custom attributes its store declares. A host (and the
HTTP API) passes them to every ticket view it builds.

Example:
    >>> from aftersales import ServiceDesk
    >>> sorted(view_options(ServiceDesk()))
    ['attribute_definitions', 'priority_scale', 'substatuses']
"""

from __future__ import annotations

from typing import Any

from aftersales.service.attribute_arguments import declared_attributes

__all__ = ["view_options"]


def view_options(desk: Any) -> dict[str, Any]:
    """The ``ticket_view`` keywords of ``desk``: ``substatuses``, ``priority_scale``, ``attribute_definitions``.

    A desk without an SLA policy has neither sub-statuses nor a priority scale
    to label with (``None``: the views show codes).

    Example:
        >>> from aftersales import ServiceDesk, WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> from aftersales.testing.samples import sample_ticket
        >>> from aftersales.views import ticket_view
        >>> desk = ServiceDesk(sla=SlaPolicy.default(WorkCalendar.always()))
        >>> options = view_options(desk)
        >>> options["substatuses"].get("待备件").code
        'waiting_parts'
        >>> ticket_view(sample_ticket(), **options)["id"]
        'T202405001'
    """
    policy = getattr(desk, "sla_policy", None)
    return {
        "substatuses": None if policy is None else policy.substatuses,
        "priority_scale": None if policy is None else policy.priority_scale,
        "attribute_definitions": declared_attributes(desk),
    }
