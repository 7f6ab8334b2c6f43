"""Storage port of the answered surveys a store keeps: :class:`SurveyStore`.

Part of :mod:`aftersales.storage.ports` (imports the domain only). A survey
(:class:`~aftersales.kpi.SurveyResponse`: NPS, satisfaction, by dimension, a
comment) is kept under its id, once: saving an equal survey again changes
nothing, another survey under a taken id is refused with
:class:`~aftersales.errors.DuplicateId`. Surveys are read back in ``(at, id)``
order, by the half-open span ``[start, end)`` of their ``at`` and by the
ticket or customer they are about. The checks here are the ones every
adapter runs before reading or writing, so a refusal writes nothing.

Example:
    >>> from aftersales.storage import MemoryStore, SQLiteStore
    >>> isinstance(MemoryStore(), SurveyStore), isinstance(SQLiteStore(":memory:"), SurveyStore)
    (True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs

from aftersales import _checks as check
from aftersales.errors import DuplicateId, InvalidData
from aftersales.kpi.surveys import SurveyResponse

__all__ = ["SurveyQuery", "SurveyStore", "check_survey", "in_order", "kept"]


@runtime_checkable
class SurveyStore(Protocol):
    """Answered :class:`~aftersales.kpi.SurveyResponse` s, by id, read back by time, ticket or customer.

    Example:
        >>> import pendulum
        >>> from aftersales.kpi import SurveyResponse
        >>> from aftersales.storage import MemoryStore
        >>> store = MemoryStore()
        >>> at = pendulum.datetime(2026, 12, 3, 10, tz="Asia/Shanghai")
        >>> store.save_survey(SurveyResponse(id="S-1", at=at, channel="wechat", recorded_by="李娜", nps=9))
        >>> [s.nps for s in store.find_surveys(start=at, end=at.add(days=1))]
        [9]
    """

    def save_survey(self, survey: SurveyResponse) -> None:
        """Keep ``survey`` under its id.

        An equal survey again changes nothing; another one under a taken id
        raises :class:`~aftersales.errors.DuplicateId`; anything but a
        ``SurveyResponse`` raises :class:`~aftersales.errors.InvalidData`.
        Nothing is written on an error.
        """
        ...

    def get_survey(self, survey_id: str) -> SurveyResponse:
        """The survey stored under ``survey_id``; :class:`~aftersales.errors.NotFound` when none is."""
        ...

    def find_surveys(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        ticket_id: str | None = None,
        customer_id: str | None = None,
    ) -> list[SurveyResponse]:
        """The surveys answered in ``[start, end)`` about ``ticket_id`` and ``customer_id``, each when given; by ``(at, id)``.

        ``start`` and ``end`` are aware datetimes (``NaiveDatetimeError``
        otherwise); the ids are checked as ids (``InvalidData``).
        """
        ...


@attrs.frozen(slots=True, kw_only=True)
class SurveyQuery:
    """The checked filters of :meth:`SurveyStore.find_surveys`, in UTC; ``matches`` one survey.

    Example:
        >>> import pendulum
        >>> SurveyQuery.of(start=pendulum.datetime(2026, 12, 1, tz="Asia/Shanghai")).start.isoformat()
        '2026-11-30T16:00:00+00:00'
        >>> SurveyQuery.of(ticket_id="T 1")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: ticket_id: 'T 1' is not a valid id; accepted: 1–64 of A–Z a–z 0–9 _ . : -
    """

    start: datetime | None = None
    end: datetime | None = None
    ticket_id: str | None = None
    customer_id: str | None = None

    @classmethod
    def of(
        cls,
        *,
        start: object = None,
        end: object = None,
        ticket_id: object = None,
        customer_id: object = None,
    ) -> SurveyQuery:
        """The query of ``find_surveys``' arguments; every bad one refused at once."""
        ids = check.optional(check.identifier)
        check.run_checks_on(
            {
                "start": (start, check.optional_aware),
                "end": (end, check.optional_aware),
                "ticket_id": (ticket_id, ids),
                "customer_id": (customer_id, ids),
            }
        )
        return cls(
            start=check.optional_aware(start, "start"),
            end=check.optional_aware(end, "end"),
            ticket_id=ids(ticket_id, "ticket_id"),
            customer_id=ids(customer_id, "customer_id"),
        )

    def matches(self, survey: SurveyResponse) -> bool:
        """Whether ``survey`` is one the query finds."""
        return (
            (self.start is None or survey.at >= self.start)
            and (self.end is None or survey.at < self.end)
            and (self.ticket_id is None or survey.ticket_id == self.ticket_id)
            and (self.customer_id is None or survey.customer_id == self.customer_id)
        )


def check_survey(survey: object) -> SurveyResponse:
    """``survey`` when it is a :class:`~aftersales.kpi.SurveyResponse`; ``InvalidData`` naming it otherwise.

    Example:
        >>> check_survey({"id": "S-1", "nps": 9})
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: survey: dict is not a SurveyResponse; accepted: one, e.g. SurveyResponse(id=..., at=..., channel=..., recorded_by=..., nps=9)
    """
    if not isinstance(survey, SurveyResponse):
        message = (
            f"{type(survey).__name__} is not a SurveyResponse; accepted: one, e.g."
            " SurveyResponse(id=..., at=..., channel=..., recorded_by=..., nps=9)"
        )
        raise InvalidData(f"survey: {message}", problems=[("survey", message)])
    return survey


def kept(stored: SurveyResponse | None, survey: SurveyResponse) -> bool:
    """Whether ``survey`` must be written: ``False`` when an equal one is stored; ``DuplicateId`` for another.

    Example:
        >>> import pendulum
        >>> at = pendulum.datetime(2026, 12, 3, tz="UTC")
        >>> a = SurveyResponse(id="S-1", at=at, channel="phone", recorded_by="李娜", nps=9)
        >>> kept(None, a), kept(a, a)
        (True, False)
        >>> kept(a, SurveyResponse(id="S-1", at=at, channel="phone", recorded_by="李娜", nps=3))
        Traceback (most recent call last):
        ...
        aftersales.errors.DuplicateId: a survey with id 'S-1' already exists; accepted: an unused id
    """
    if stored is None:
        return True
    if stored == survey:
        return False
    raise DuplicateId("survey", survey.id)


def in_order(surveys: Iterable[SurveyResponse]) -> list[SurveyResponse]:
    """``surveys`` in ``(at, id)`` order, the order every ``find_surveys`` gives."""
    return sorted(surveys, key=lambda s: (s.at, s.id))
