"""The SQL adapters' read models: what is written beside a ticket's events, in their transaction.

Private: :class:`ProjectionTables` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. A save hands it each ticket
with its :class:`~aftersales.readmodel.TicketProjection` (or ``None``), in the
save's open transaction, so the read models never disagree with the events
they were computed from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import TicketProjection

__all__ = ["ProjectionTables"]


class ProjectionTables:
    """Writes (and reads back) the projections of tickets beside their events.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> issubclass(SQLiteStore, ProjectionTables)
        True
    """

    def _write_projections(
        self, cur: Any, items: Sequence[tuple[Ticket, TicketProjection | None]]
    ) -> None:
        """Write the projection of each ``(ticket, projection)`` saved in the transaction ``cur``."""
