"""The answered surveys part of the storage contract: ``save_survey``, ``get_survey``, ``find_surveys``.

:class:`SurveyStoreContract` is the suite of a
:class:`~aftersales.storage.SurveyStore`: a saved survey is read back equal
(its dimensions, channel, comment and feedback class kept), by id and in
``(at, id)`` order; ``find_surveys`` keeps the half-open span ``[start, end)``
in any zone and filters by ticket and customer; saving an equal survey again
changes nothing, another under a taken id is refused with ``DuplicateId``;
bad arguments are refused with named errors before anything is read or
written. Its hypothesis test holds random saves and queries to a reference
list.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemorySurveys(SurveyStoreContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMemorySurveys().make_store().find_surveys()
    []
"""

from __future__ import annotations

from typing import Any

import pendulum
import pytest
from hypothesis import strategies as st

from aftersales.errors import DuplicateId, InvalidData, NaiveDatetimeError, NotFound
from aftersales.kpi.feedback import FeedbackClass
from aftersales.kpi.surveys import SurveyResponse
from aftersales.storage.ports.surveys import SurveyStore
from aftersales.testing.contracts.builders import HOSTILE_TEXTS
from aftersales.testing.contracts.fixtures import StoreUnderTest, add_hypothesis_test

__all__ = ["SURVEYS_BASE", "SurveyStoreContract", "make_survey"]

#: When the contract's surveys are answered (minutes are added to it).
SURVEYS_BASE = pendulum.datetime(2026, 12, 1, 9, tz="Asia/Shanghai")


def make_survey(
    survey_id: str = "S-1",
    minutes: int = 0,
    *,
    ticket_id: str | None = None,
    customer_id: str | None = "C1",
    nps: int | None = 9,
    **fields: Any,
) -> SurveyResponse:
    """A survey answered ``minutes`` after :data:`SURVEYS_BASE` by WeChat, recorded by 李娜.

    Example:
        >>> make_survey("S-2", 90, satisfaction=4).at.isoformat()
        '2026-12-01T02:30:00+00:00'
    """
    return SurveyResponse(
        id=survey_id,
        at=SURVEYS_BASE.add(minutes=minutes),
        channel=fields.pop("channel", "wechat"),
        recorded_by=fields.pop("recorded_by", "李娜"),
        ticket_id=ticket_id,
        customer_id=customer_id,
        nps=nps,
        **fields,
    )


class SurveyStoreContract(StoreUnderTest):
    """The contract of :class:`~aftersales.storage.SurveyStore`.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestSQLiteSurveys(SurveyStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLiteSurveys().make_store(), SurveyStore)
        True
    """

    hypothesis_examples = 20

    def test_is_a_survey_store_and_starts_empty(self, store: Any) -> None:
        assert isinstance(store, SurveyStore)
        assert store.find_surveys() == []

    def test_a_saved_survey_is_read_back_equal(self, store: Any) -> None:
        survey = make_survey(
            ticket_id="T1",
            satisfaction=2,
            dimensions={"服务态度": 2, "解决效果": 3},
            comment="工程师迟到，请回电 13812345678",
            feedback_class=FeedbackClass.STAFF,
            channel="return_visit_call",
        )
        store.save_survey(survey)
        found = store.get_survey("S-1")
        assert found == survey
        assert [d.score for d in found.dimensions] == [3, 2]  # sorted by code
        assert found.feedback is FeedbackClass.STAFF
        assert store.find_surveys() == [survey]

    @pytest.mark.parametrize("comment", HOSTILE_TEXTS)
    def test_a_comment_is_kept_as_written(self, store: Any, comment: str) -> None:
        survey = make_survey(comment=comment)
        store.save_survey(survey)
        assert store.get_survey("S-1").comment == comment

    def test_a_standalone_survey_has_no_ticket_nor_customer(self, store: Any) -> None:
        survey = make_survey(customer_id=None, nps=None, comment="希望增加夜间热线")
        store.save_survey(survey)
        assert store.find_surveys() == [survey]
        assert store.find_surveys(customer_id="C1") == []

    def test_surveys_come_in_time_then_id_order(self, store: Any) -> None:
        for survey_id, minutes in (("S-b", 5), ("S-a", 5), ("S-c", 0), ("S-0", 60)):
            store.save_survey(make_survey(survey_id, minutes))
        assert [s.id for s in store.find_surveys()] == ["S-c", "S-a", "S-b", "S-0"]

    def test_the_span_is_half_open_in_any_zone(self, store: Any) -> None:
        for index, minutes in enumerate((0, 59, 60, 120)):
            store.save_survey(make_survey(f"S-{index}", minutes))
        start = SURVEYS_BASE.in_timezone("America/New_York")
        end = SURVEYS_BASE.add(minutes=60).in_timezone("UTC")
        assert [s.id for s in store.find_surveys(start=start, end=end)] == ["S-0", "S-1"]
        assert [s.id for s in store.find_surveys(start=end)] == ["S-2", "S-3"]
        assert [s.id for s in store.find_surveys(end=start)] == []

    def test_surveys_are_found_by_ticket_and_by_customer(self, store: Any) -> None:
        store.save_survey(make_survey("S-1", 0, ticket_id="T1", customer_id="C1"))
        store.save_survey(make_survey("S-2", 1, ticket_id="T2", customer_id="C1"))
        store.save_survey(make_survey("S-3", 2, ticket_id="T1", customer_id="C2"))
        assert [s.id for s in store.find_surveys(ticket_id="T1")] == ["S-1", "S-3"]
        assert [s.id for s in store.find_surveys(customer_id="C1")] == ["S-1", "S-2"]
        assert [s.id for s in store.find_surveys(ticket_id="T1", customer_id="C1")] == ["S-1"]

    def test_saving_the_same_again_changes_nothing(self, store: Any) -> None:
        store.save_survey(make_survey())
        store.save_survey(make_survey())
        assert store.find_surveys() == [make_survey()]

    def test_another_survey_under_a_taken_id_is_refused_and_nothing_written(
        self, store: Any
    ) -> None:
        store.save_survey(make_survey(nps=9))
        with pytest.raises(DuplicateId) as raised:
            store.save_survey(make_survey(nps=3))
        assert raised.value.key == "S-1"
        assert store.find_surveys() == [make_survey(nps=9)]

    def test_an_id_not_stored_is_not_found(self, store: Any) -> None:
        with pytest.raises(NotFound) as raised:
            store.get_survey("S-404")
        assert raised.value.key == "S-404"

    @pytest.mark.parametrize(
        "survey", [make_survey().nps_response(), {"id": "S-1", "nps": 9}, None, "S-1"]
    )
    def test_anything_but_a_survey_is_refused_and_nothing_written(
        self, store: Any, survey: Any
    ) -> None:
        with pytest.raises(InvalidData, match=r"survey: .* is not a SurveyResponse"):
            store.save_survey(survey)
        assert store.find_surveys() == []

    def test_bad_reads_are_refused_naming_the_argument(self, store: Any) -> None:
        with pytest.raises(NaiveDatetimeError):
            store.find_surveys(start=SURVEYS_BASE.naive())
        with pytest.raises(InvalidData) as raised:
            store.find_surveys(ticket_id="T 1", customer_id=7)
        assert set(dict(raised.value.problems)) == {"ticket_id", "customer_id"}
        with pytest.raises(InvalidData, match="survey_id: 7 is not a valid id"):
            store.get_survey(7)

    def check_saves_and_finds_match_a_reference(self, data: Any) -> None:
        store = self.make_store()
        try:
            reference: dict[str, SurveyResponse] = {}
            steps = data.draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(("S-1", "S-2", "S-3", "S-4", "S-10")),
                        st.integers(0, 6).map(lambda m: m * 30),
                        st.sampled_from((None, "T1", "T2")),
                        st.sampled_from((None, "C1", "C2")),
                        st.integers(0, 10),
                    ),
                    max_size=12,
                )
            )
            for survey_id, minutes, ticket_id, customer_id, score in steps:
                survey = make_survey(
                    survey_id, minutes, ticket_id=ticket_id, customer_id=customer_id, nps=score
                )
                stored = reference.get(survey_id)
                if stored is not None and stored != survey:
                    with pytest.raises(DuplicateId):
                        store.save_survey(survey)
                else:
                    store.save_survey(survey)
                    reference[survey_id] = survey
            start = data.draw(st.none() | st.integers(0, 6).map(lambda m: m * 30))
            end = data.draw(st.none() | st.integers(0, 7).map(lambda m: m * 30))
            ticket = data.draw(st.sampled_from((None, "T1", "T2")))
            customer = data.draw(st.sampled_from((None, "C1", "C2")))
            bounds = {
                "start": None if start is None else SURVEYS_BASE.add(minutes=start),
                "end": None if end is None else SURVEYS_BASE.add(minutes=end),
            }
            wanted = sorted(
                (
                    s
                    for s in reference.values()
                    if (bounds["start"] is None or s.at >= bounds["start"])
                    and (bounds["end"] is None or s.at < bounds["end"])
                    and ticket in (None, s.ticket_id)
                    and customer in (None, s.customer_id)
                ),
                key=lambda s: (s.at, s.id),
            )
            found = store.find_surveys(**bounds, ticket_id=ticket, customer_id=customer)
            assert found == wanted
        finally:
            self.dispose_store(store)


add_hypothesis_test(
    SurveyStoreContract,
    "test_saves_and_finds_match_a_reference",
    "check_saves_and_finds_match_a_reference",
)
