"""The checks every store runs on a write's arguments before it reads or writes anything.

Part of the ports: a save's arguments mean the same in every adapter, so the
memory and SQL stores (and a user's own) refuse the same values with the same
:class:`~aftersales.InvalidData`. Imports only the domain.

Example:
    >>> from aftersales.testing.samples import sample_ticket
    >>> check_save(sample_ticket(), 0, None) is None
    True
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.followup.tasks import FollowUpTask
from aftersales.improvement.actions import ImprovementAction
from aftersales.knowledge.article import KnowledgeArticle
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import TicketProjection

__all__ = [
    "check_action_save",
    "check_alerts_query",
    "check_article_save",
    "check_followup_save",
    "check_paging",
    "check_projection",
    "check_save",
    "check_stream",
    "not_extending",
]


def check_paging(limit: object, after_id: object) -> None:
    """Check the keyset paging arguments of ``find_customers()`` before anything is read.

    Example:
        >>> check_paging(-1, None)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: limit: -1 is out of range; accepted: an integer from 0 to 2147483647
    """
    check.run_checks_on(
        {
            "limit": (limit, check.optional(check.integer(0))),
            "after_id": (after_id, check.optional(check.identifier)),
        }
    )


#: The largest page a ticket store's ``stream`` reads at once.
MAX_BATCH: Final = 100_000


def check_stream(query: object, batch: object) -> None:
    """Check the arguments of ``stream()`` before anything is read.

    Example:
        >>> from aftersales.model.query import TicketQuery
        >>> check_stream(TicketQuery(), 0)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: batch: 0 is out of range; accepted: an integer from 1 to 100000
    """
    check.run_checks_on(
        {
            "query": (query, check.instance_of(TicketQuery)),
            "batch": (batch, check.integer(1, MAX_BATCH)),
        }
    )


def _alert_key(value: Any, name: str) -> tuple[datetime, str] | None:
    if value is None:
        return None
    if not isinstance(value, tuple) or len(value) != 2:
        message = f"{shown(value)} is not a key; accepted: None or (an aware datetime, a ticket id)"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return (check.aware(value[0], f"{name}[0]"), check.identifier(value[1], f"{name}[1]"))


def check_alerts_query(
    at: object, include_recorded: object, limit: object, after: object
) -> tuple[datetime, bool, int | None, tuple[datetime, str] | None]:
    """Check the arguments of ``find_alerts_due()``; return them normalised (times in UTC).

    Example:
        >>> import pendulum
        >>> check_alerts_query(pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai"), False, 5, None)
        (DateTime(2026, 3, 2, 1, 0, 0, tzinfo=Timezone('UTC')), False, 5, None)
        >>> check_alerts_query(pendulum.datetime(2026, 3, 2, tz="UTC"), False, None, ("T1",))
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: after: ('T1',) is not a key; accepted: None or (an aware datetime, a ticket id)
    """
    check.run_checks_on(
        {
            "at": (at, check.aware),
            "include_recorded": (include_recorded, check.flag),
            "limit": (limit, check.optional(check.integer(0))),
            "after": (after, _alert_key),
        }
    )
    return (
        check.aware(at, "at"),
        include_recorded is True,
        limit,  # type: ignore[return-value]
        _alert_key(after, "after"),
    )


def check_save(ticket: Ticket, expected_version: object, due_at: object) -> datetime | None:
    """Check the arguments of a ``save`` before anything is read or written.

    Returns ``due_at`` normalised to UTC. Raises ``InvalidData`` for a value that
    is not a ticket, an ``expected_version`` not below the ticket's version, or
    a naive ``due_at``.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> check_save(sample_ticket(), 9, None)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: expected_version: 9 is not below the ticket's version 9; accepted: 0 to 8
    """
    check.instance_of(Ticket)(ticket, "ticket")
    if (
        not isinstance(expected_version, int)
        or isinstance(expected_version, bool)
        or not 0 <= expected_version < ticket.version
    ):
        message = (
            f"{shown(expected_version)} is not below the ticket's version {ticket.version};"
            f" accepted: 0 to {ticket.version - 1}"
        )
        raise InvalidData(f"expected_version: {message}", problems=[("expected_version", message)])
    return check.optional_aware(due_at, "due_at")


def check_projection(
    ticket: Ticket, due_at: datetime | None, projection: object
) -> tuple[datetime | None, TicketProjection | None]:
    """Check a save's ``projection`` against its ticket; return the due time and the projection.

    The projection must be a :class:`~aftersales.readmodel.TicketProjection` of
    the ticket's own version. Without ``due_at``, the projection's is the due time.

    Example:
        >>> from aftersales.readmodel import TicketProjection
        >>> from aftersales.testing.samples import sample_ticket
        >>> check_projection(sample_ticket(), None, TicketProjection(key="k", version=2))
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: projection: computed from version 2, not the ticket's version 9; accepted: a projection of version 9
    """
    if projection is None:
        return due_at, None
    check.instance_of(TicketProjection)(projection, "projection")
    assert isinstance(projection, TicketProjection)
    if projection.version != ticket.version:
        message = (
            f"computed from version {projection.version}, not the ticket's version"
            f" {ticket.version}; accepted: a projection of version {ticket.version}"
        )
        raise InvalidData(f"projection: {message}", problems=[("projection", message)])
    return (projection.due_at if due_at is None else due_at), projection


def not_extending(ticket_id: str) -> InvalidData:
    """The error of a save whose history does not extend the stored one.

    Example:
        >>> print(not_extending("T1"))
        history: the history of ticket 'T1' does not extend the stored one; accepted: the stored history followed by new events
    """
    message = (
        f"the history of ticket {ticket_id!r} does not extend the stored one;"
        " accepted: the stored history followed by new events"
    )
    return InvalidData(f"history: {message}", problems=[("history", message)])


def check_action_save(action: ImprovementAction, expected_version: object) -> int:
    """Check a ``save_action``: an action newer than ``expected_version``; that version.

    Example:
        >>> from aftersales.testing.contracts import make_action
        >>> check_action_save(make_action(), 0)
        0
        >>> check_action_save(make_action(), 1)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: action.version: 1 is not newer than expected_version 1; accepted: a version above 1
    """
    check.instance_of(ImprovementAction)(action, "action")
    expected: int = check.integer(0)(expected_version, "expected_version")
    if action.version <= expected:
        message = (
            f"{action.version} is not newer than expected_version {expected};"
            f" accepted: a version above {expected}"
        )
        raise InvalidData(f"action.version: {message}", problems=[("action.version", message)])
    return expected


def check_article_save(article: KnowledgeArticle, expected_version: object) -> int:
    """Check a ``save_article``: the version right after ``expected_version``; that version.

    Example:
        >>> from aftersales.testing.contracts import make_article
        >>> check_article_save(make_article(), 1)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: article.version: 1 does not follow 1; accepted: 2
    """
    check.instance_of(KnowledgeArticle)(article, "article")
    expected: int = check.integer(0)(expected_version, "expected_version")
    if article.version != expected + 1:
        message = f"{article.version} does not follow {expected}; accepted: {expected + 1}"
        raise InvalidData(f"article.version: {message}", problems=[("article.version", message)])
    return expected


def check_followup_save(task: FollowUpTask, expected_version: object) -> int:
    """Check a ``save_followup``: a task newer than ``expected_version`` (0: new); that version.

    Example:
        >>> from aftersales.testing.contracts import make_followup
        >>> check_followup_save(make_followup("FU-1", 7), 1)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: task.version: 1 is not newer than 1; accepted: above 1
    """
    check.instance_of(FollowUpTask)(task, "task")
    expected: int = check.integer(0)(expected_version, "expected_version")
    if task.version <= expected:
        message = f"{task.version} is not newer than {expected}; accepted: above {expected}"
        raise InvalidData(f"task.version: {message}", problems=[("task.version", message)])
    return expected
