"""The memory adapter's answered surveys: a dictionary by id behind a lock.

Private: a base of :class:`~aftersales.storage.memory.MemoryStore`, the
reference the SQL stores are held to by the contract suite
(:mod:`aftersales.testing.contracts.surveys`).
"""

from __future__ import annotations

import threading
from datetime import datetime

from aftersales import _checks as check
from aftersales.errors import NotFound
from aftersales.kpi.surveys import SurveyResponse
from aftersales.storage.ports.surveys import SurveyQuery, check_survey, in_order, kept

__all__ = ["MemorySurveys"]


class MemorySurveys:
    """:class:`~aftersales.storage.SurveyStore` in memory; thread-safe.

    Example:
        >>> import pendulum
        >>> store = MemorySurveys()
        >>> at = pendulum.datetime(2026, 12, 3, tz="UTC")
        >>> store.save_survey(SurveyResponse(id="S-1", at=at, channel="phone", recorded_by="李娜", satisfaction=4))
        >>> store.get_survey("S-1").satisfaction
        4
    """

    _surveys_lock = threading.Lock()

    def _survey_rows(self) -> dict[str, SurveyResponse]:
        rows: dict[str, SurveyResponse] | None = getattr(self, "_surveys_by_id", None)
        if rows is None:
            with self._surveys_lock:
                rows = getattr(self, "_surveys_by_id", None)
                if rows is None:
                    rows = {}
                    self._surveys_by_id = rows
        return rows

    def save_survey(self, survey: SurveyResponse) -> None:
        """See :meth:`~aftersales.storage.SurveyStore.save_survey`."""
        check_survey(survey)
        rows = self._survey_rows()
        with self._surveys_lock:
            if kept(rows.get(survey.id), survey):
                rows[survey.id] = survey

    def get_survey(self, survey_id: str) -> SurveyResponse:
        """See :meth:`~aftersales.storage.SurveyStore.get_survey`."""
        check.identifier(survey_id, "survey_id")
        rows = self._survey_rows()
        with self._surveys_lock:
            found = rows.get(survey_id)
        if found is None:
            raise NotFound("survey", survey_id)
        return found

    def find_surveys(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        ticket_id: str | None = None,
        customer_id: str | None = None,
    ) -> list[SurveyResponse]:
        """See :meth:`~aftersales.storage.SurveyStore.find_surveys`."""
        query = SurveyQuery.of(start=start, end=end, ticket_id=ticket_id, customer_id=customer_id)
        rows = self._survey_rows()
        with self._surveys_lock:
            found = [survey for survey in rows.values() if query.matches(survey)]
        return in_order(found)
