"""The SQL adapters' answered surveys: the table ``surveys``.

Private: :class:`SurveyTables` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. Migration 18 adds
``surveys (id, at, ticket_id, customer_id, data)``, one row per survey;
``data`` is the survey's JSON (:func:`aftersales.serialization.to_json`),
what is read back under the store's vocabulary, and the other columns what
``find_surveys`` filters and orders by (indexes ``surveys_at``,
``surveys_ticket``, ``surveys_customer``). A save reads the row under the id
and inserts, in one transaction. ``check_integrity()`` names a row that
cannot be read back, or whose columns disagree with its data.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from aftersales import _checks as check
from aftersales.errors import InvalidData, NotFound, StorageError, UnsupportedSchemaVersion
from aftersales.kpi.surveys import SurveyResponse
from aftersales.serialization import from_dict, parse_json, to_json
from aftersales.storage._sql.integrity import row_name
from aftersales.storage.ports.surveys import SurveyQuery, check_survey, kept
from aftersales.vocabulary import Vocabulary

__all__ = ["SURVEYS_VERSION", "SurveyTables"]

#: The schema version that brings the table ``surveys``.
SURVEYS_VERSION = 18

_COLUMNS = "id, at, ticket_id, customer_id, data"


class SurveyTables:
    """:class:`~aftersales.storage.SurveyStore` on the table ``surveys``.

    Example:
        >>> import pendulum
        >>> from aftersales.storage import SQLiteStore
        >>> store = SQLiteStore(":memory:")
        >>> at = pendulum.datetime(2026, 12, 3, 10, tz="Asia/Shanghai")
        >>> store.save_survey(SurveyResponse(id="S-1", at=at, channel="wechat", recorded_by="李娜", nps=9))
        >>> [s.id for s in store.find_surveys(start=at)], store.find_surveys(end=at)
        (['S-1'], [])
    """

    where: str = "store"
    vocabulary: Vocabulary

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    def _ts(self, value: datetime | None) -> Any:
        raise NotImplementedError

    # -- the port ------------------------------------------------------------------------

    def save_survey(self, survey: SurveyResponse) -> None:
        """See :meth:`~aftersales.storage.SurveyStore.save_survey`; one transaction."""
        check_survey(survey)
        row = (survey.id, self._ts(survey.at), survey.ticket_id, survey.customer_id)
        with self._writing() as cur:
            cur.execute(self._sql(f"SELECT {_COLUMNS} FROM surveys WHERE id = ?"), (survey.id,))
            found = cur.fetchone()
            stored = None if found is None else self._decode_survey(*found)
            if kept(stored, survey):
                cur.execute(
                    self._sql(f"INSERT INTO surveys ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)"),
                    (*row, to_json(survey)),
                )

    def get_survey(self, survey_id: str) -> SurveyResponse:
        """See :meth:`~aftersales.storage.SurveyStore.get_survey`."""
        check.identifier(survey_id, "survey_id")
        with self._reading() as cur:
            cur.execute(self._sql(f"SELECT {_COLUMNS} FROM surveys WHERE id = ?"), (survey_id,))
            found = cur.fetchone()
        if found is None:
            raise NotFound("survey", survey_id)
        return self._decode_survey(*found)

    def find_surveys(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        ticket_id: str | None = None,
        customer_id: str | None = None,
    ) -> list[SurveyResponse]:
        """See :meth:`~aftersales.storage.SurveyStore.find_surveys`; by the index that fits."""
        query = SurveyQuery.of(start=start, end=end, ticket_id=ticket_id, customer_id=customer_id)
        where: list[str] = []
        params: list[Any] = []
        for column, key in (("ticket_id", query.ticket_id), ("customer_id", query.customer_id)):
            if key is not None:
                where.append(f"{column} = ?")
                params.append(key)
        for test, instant in ((">=", query.start), ("<", query.end)):
            if instant is not None:
                where.append(f"at {test} ?")
                params.append(self._ts(instant))
        sql = f"SELECT {_COLUMNS} FROM surveys"
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._reading() as cur:
            cur.execute(self._sql(sql + " ORDER BY at, id"), params)
            rows = cur.fetchall()
        return [self._decode_survey(*row) for row in rows]

    # -- reading rows ---------------------------------------------------------------------

    def _decode_survey(
        self, survey_id: str, at: Any, ticket_id: Any, customer_id: Any, data: Any
    ) -> SurveyResponse:
        """The survey a row holds; ``StorageError`` naming the row when it holds none, or another."""
        where = row_name("surveys", (survey_id,), "id")
        try:
            with self.vocabulary.active():
                survey = from_dict(SurveyResponse, parse_json(data))
        except UnsupportedSchemaVersion as error:
            raise StorageError(f"{where}: {error}") from None
        except (ValueError, TypeError, InvalidData) as error:
            raise StorageError(
                f"{where}: data is not a survey: {error}; accepted: the JSON of a SurveyResponse"
            ) from None
        if isinstance(at, datetime) and at.tzinfo is None:
            at = at.replace(tzinfo=UTC)  # a driver reading a UTC wall-clock column
        columns = (survey.id, self._ts(survey.at), survey.ticket_id, survey.customer_id)
        if (survey_id, at, ticket_id, customer_id) != columns:
            raise StorageError(
                f"{where}: its columns (id, at, ticket_id, customer_id) disagree with its data"
                f" (survey {survey.id!r} of {survey.at.isoformat()}); accepted: the columns of"
                " the survey the row holds"
            )
        return survey

    def _survey_problems(self) -> list[str]:
        """Each row of ``surveys`` that cannot be read back, or whose columns disagree with its data."""
        with self._reading() as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM surveys ORDER BY id")
            rows = cur.fetchall()
        problems: list[str] = []
        for row in rows:
            try:
                self._decode_survey(*row)
            except StorageError as error:
                problems.append(str(error))
        return problems
