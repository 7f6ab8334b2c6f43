"""Public JSON views of tickets, events and reports, masked by default, and contact access.

Views are what a front end shows: plain JSON data with stable field names
(documented in ``docs/json.md``), contacts masked unless an access decision
recorded in the ticket's history reveals them.

Example:
    >>> from aftersales.testing.samples import sample_ticket
    >>> ticket_view(sample_ticket())["contact"]["phone"]
    '138****5678'
"""

from aftersales.views.access import AccessDecision, AllowedViewers, ContactAccess
from aftersales.views.reports import report_view
from aftersales.views.tickets import event_view, history_view, masked_texts, ticket_view

__all__ = [
    "AccessDecision",
    "AllowedViewers",
    "ContactAccess",
    "event_view",
    "history_view",
    "masked_texts",
    "report_view",
    "ticket_view",
]
