"""Answered surveys: the value, the feedback classes and their rule, and how the KPIs count them.

Expected figures are worked out by hand from the documented rules (docs in
aftersales.kpi.feedback and aftersales.kpi.survey_counts), never copied from
the code's output.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData, NaiveDatetimeError, ScoreOutOfRange, UnknownValue
from aftersales.kpi import (
    FeedbackClass,
    NpsResponse,
    Period,
    ServiceKpis,
    SurveyCounts,
    SurveyResponse,
    classify_feedback,
)
from aftersales.model.satisfaction import dimension_scores

TZ = "Asia/Shanghai"
AT = pendulum.datetime(2026, 12, 3, 10, tz=TZ)
STAFF_DIMENSIONS = ("professional_knowledge", "service_attitude", "response_speed")
ALL_DIMENSIONS = (*STAFF_DIMENSIONS, "resolution_effect")


def survey(survey_id: str = "S-1", at: pendulum.DateTime = AT, **fields: Any) -> SurveyResponse:
    fields.setdefault("channel", "wechat")
    fields.setdefault("recorded_by", "李娜")
    return SurveyResponse(id=survey_id, at=at, **fields)


# -- the value -----------------------------------------------------------------------------


def test_a_survey_about_a_ticket_keeps_every_answer_in_utc() -> None:
    answer = survey(
        ticket_id="T1",
        customer_id="C1",
        nps=9,
        satisfaction=4,
        dimensions={"服务态度": 5, "response_speed": 3},
        comment="响应慢了点",
        feedback_class="建议",
    )
    assert answer.at == pendulum.datetime(2026, 12, 3, 2, tz="UTC")
    assert answer.at.timezone_name == "UTC"
    assert [(d.dimension.code, d.score) for d in answer.dimensions] == [
        ("response_speed", 3),
        ("service_attitude", 5),
    ]
    assert answer.channel.code == "wechat"
    assert answer.feedback_class is FeedbackClass.SUGGESTION


def test_a_standalone_survey_needs_no_ticket_nor_customer() -> None:
    answer = survey(nps=7)
    assert (answer.ticket_id, answer.customer_id, answer.feedback) == (None, None, None)
    assert answer.nps_response() is None  # an NpsResponse names a customer


def test_nps_response_carries_the_answer_of_a_customer() -> None:
    answer = survey(customer_id="C1", ticket_id="T1", nps=10, comment="好")
    assert answer.nps_response() == NpsResponse(
        customer_id="C1", score=10, at=AT, ticket_id="T1", comment="好"
    )


def test_a_survey_answering_nothing_is_refused() -> None:
    with pytest.raises(InvalidData) as raised:
        survey(comment="   ")
    assert list(raised.value.problems) == [
        (
            "answers",
            "nothing answered; accepted: an NPS answer (0–10), a satisfaction score (1–5),"
            " scores by dimension or a comment",
        )
    ]


@pytest.mark.parametrize(
    ("fields", "error", "path"),
    [
        ({"nps": 11}, ScoreOutOfRange, "nps"),
        ({"nps": -1}, ScoreOutOfRange, "nps"),
        ({"nps": True}, ScoreOutOfRange, "nps"),
        ({"satisfaction": 0}, ScoreOutOfRange, "satisfaction"),
        (
            {"nps": 5, "dimensions": {"服务态度": 6}},
            ScoreOutOfRange,
            "dimensions['service_attitude']",
        ),
        ({"nps": 5, "dimensions": {"颜值": 5}}, UnknownValue, "dimensions['颜值']"),
        ({"nps": 5, "channel": "pigeon"}, UnknownValue, "channel"),
        ({"nps": 5, "feedback_class": "praise"}, UnknownValue, "feedback_class"),
        ({"nps": 5, "ticket_id": "T 1"}, InvalidData, "ticket_id"),
        ({"nps": 5, "customer_id": ""}, InvalidData, "customer_id"),
        ({"nps": 5, "recorded_by": " "}, InvalidData, "recorded_by"),
        ({"nps": 5, "comment": "a\x00b"}, InvalidData, "comment"),
    ],
)
def test_a_bad_field_is_refused_with_its_own_error(
    fields: dict[str, Any], error: type[Exception], path: str
) -> None:
    with pytest.raises(error) as raised:
        survey(**fields)
    assert path in str(raised.value)


def test_several_bad_fields_are_refused_at_once() -> None:
    with pytest.raises(InvalidData) as raised:
        survey("S 1", nps=11, satisfaction=9, channel="pigeon")
    assert {path for path, _ in raised.value.problems} == {"id", "nps", "satisfaction", "channel"}


def test_a_naive_answer_time_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError):
        survey(at=AT.naive(), nps=5)


def test_the_repr_masks_contacts_written_in_the_comment() -> None:
    answer = survey(nps=3, comment="请回电 13812345678 或写信 li.wei@example.com")
    shown = repr(answer)
    assert "13812345678" not in shown
    assert "li.wei@example.com" not in shown
    assert "138****5678" in shown
    assert answer.comment == "请回电 13812345678 或写信 li.wei@example.com"  # kept as written


# -- the feedback rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # rule 2: the lowest dimension under 4 decides
        ({"dimensions": {"服务态度": 2, "解决效果": 3}}, FeedbackClass.STAFF),
        ({"dimensions": {"专业知识": 4, "解决效果": 3}}, FeedbackClass.RESOLUTION),
        ({"dimensions": {"响应速度": 3, "解决效果": 3}}, FeedbackClass.RESOLUTION),  # tie
        ({"dimensions": {"响应速度": 1, "解决效果": 2}, "satisfaction": 5}, FeedbackClass.STAFF),
        # rule 3: unhappy without a dimension under 4
        ({"satisfaction": 3}, FeedbackClass.RESOLUTION),
        ({"dimensions": {"服务态度": 4}, "satisfaction": 2}, FeedbackClass.RESOLUTION),
        ({"nps": 6}, FeedbackClass.RESOLUTION),
        # rule 4: a satisfied customer's comment, or no score at all
        ({"nps": 7}, FeedbackClass.SUGGESTION),
        ({"satisfaction": 4, "dimensions": {"服务态度": 4}}, FeedbackClass.SUGGESTION),
        ({}, FeedbackClass.SUGGESTION),
        # rule 1: the class recorded wins
        ({"satisfaction": 1, "feedback_class": "staff"}, FeedbackClass.STAFF),
    ],
)
def test_a_comment_is_classified_by_the_documented_rule(
    fields: dict[str, Any], expected: FeedbackClass
) -> None:
    assert survey(comment="反馈内容", **fields).feedback is expected


scores_1_5 = st.integers(1, 5)
dimension_maps = st.dictionaries(st.sampled_from(ALL_DIMENSIONS), scores_1_5, max_size=4)


@given(
    dimensions=dimension_maps,
    satisfaction=st.none() | scores_1_5,
    nps=st.none() | st.integers(0, 10),
    given_class=st.sampled_from(list(FeedbackClass)),
)
def test_for_all_answers_the_class_recorded_wins(
    dimensions: dict[str, int],
    satisfaction: int | None,
    nps: int | None,
    given_class: FeedbackClass,
) -> None:
    found = classify_feedback(
        comment="有意见",
        given=given_class,
        dimensions=dimension_scores(dimensions),
        satisfaction=satisfaction,
        nps=nps,
    )
    assert found is given_class


@given(
    dimensions=dimension_maps,
    satisfaction=st.none() | scores_1_5,
    nps=st.none() | st.integers(0, 10),
    blank=st.sampled_from(("", " ", "\n\t")),
)
def test_for_all_answers_without_a_comment_there_is_no_feedback(
    dimensions: dict[str, int], satisfaction: int | None, nps: int | None, blank: str
) -> None:
    assert (
        classify_feedback(
            comment=blank,
            dimensions=dimension_scores(dimensions),
            satisfaction=satisfaction,
            nps=nps,
        )
        is None
    )


@given(
    others=st.dictionaries(st.sampled_from(ALL_DIMENSIONS), st.integers(2, 5), max_size=4),
    lowest=st.sampled_from(ALL_DIMENSIONS),
    satisfaction=st.none() | scores_1_5,
    nps=st.none() | st.integers(0, 10),
)
def test_for_all_answers_a_dimension_scored_below_every_other_decides(
    others: dict[str, int], lowest: str, satisfaction: int | None, nps: int | None
) -> None:
    scores = {**others, lowest: 1}
    expected = FeedbackClass.RESOLUTION if lowest == "resolution_effect" else FeedbackClass.STAFF
    found = classify_feedback(
        comment="不满意",
        dimensions=dimension_scores(scores),
        satisfaction=satisfaction,
        nps=nps,
    )
    assert found is expected


@given(
    dimensions=st.dictionaries(st.sampled_from(ALL_DIMENSIONS), st.integers(4, 5), max_size=4),
    satisfaction=st.none() | st.integers(4, 5),
    nps=st.none() | st.integers(7, 10),
)
def test_for_all_satisfied_answers_a_comment_is_a_suggestion(
    dimensions: dict[str, int], satisfaction: int | None, nps: int | None
) -> None:
    found = classify_feedback(
        comment="挺好", dimensions=dimension_scores(dimensions), satisfaction=satisfaction, nps=nps
    )
    assert found is FeedbackClass.SUGGESTION


# -- counted by the KPIs -----------------------------------------------------------------------


def test_surveys_count_apart_from_the_return_visits_with_their_feedback_by_class() -> None:
    kpis = ServiceKpis(Period.parse("2026-12", TZ), WorkCalendar.always(TZ))
    kpis.add_survey(survey("S-1", nps=10, satisfaction=5, dimensions={"服务态度": 5}))
    kpis.add_survey(survey("S-2", nps=3, satisfaction=2, comment="没修好"))
    kpis.add_survey(survey("S-3", dimensions={"服务态度": 2, "解决效果": 4}, comment="态度差"))
    kpis.add_survey(survey("S-4", nps=9, comment="希望增加夜间热线"))
    kpis.add_survey(NpsResponse(customer_id="C1", score=8, at=AT))  # a passive, NPS only
    figures = kpis.result()
    # NPS: answers 10, 3, 9, 8 → 2 promoters, 1 detractor of 4 → +25
    assert (figures.nps.responses, figures.nps.score) == (4, 25.0)
    surveys = figures.surveys
    assert surveys.count == 4
    assert (surveys.satisfaction.count, surveys.satisfaction.mean) == (2, 3.5)
    by_dimension = {d.dimension: d.scores.mean for d in surveys.satisfaction_by_dimension}
    assert by_dimension == {"service_attitude": 3.5, "resolution_effect": 4.0}
    assert surveys.feedback == (("staff", 1), ("resolution", 1), ("suggestion", 1))
    assert surveys.commented == 3
    # the return visits' satisfaction is untouched by surveys
    assert figures.satisfaction.count == 0
    assert figures.to_dict()["surveys"]["feedback"] == [
        ["staff", 1],
        ["resolution", 1],
        ["suggestion", 1],
    ]


def test_only_surveys_answered_in_the_period_and_before_the_reading_count() -> None:
    december = Period.parse("2026-12", TZ)
    read_at = pendulum.datetime(2026, 12, 20, tz=TZ)
    kpis = ServiceKpis(december, WorkCalendar.always(TZ), at=read_at)
    kpis.add_survey(survey("S-first", at=december.start, nps=10))  # the first instant counts
    kpis.add_survey(survey("S-before", at=december.start.subtract(microseconds=1), nps=0))
    kpis.add_survey(survey("S-late", at=read_at, nps=0))  # at the reading instant: not yet
    kpis.add_survey(survey("S-mid", at=read_at.subtract(minutes=1), nps=9, comment="好"))
    figures = kpis.result()
    assert (figures.nps.responses, figures.nps.promoters) == (2, 2)
    assert figures.surveys.count == 2
    assert figures.surveys.feedback[2] == ("suggestion", 1)


survey_answers = st.builds(
    lambda n, minutes, nps, sat, dims, comment, given_class: survey(
        f"S-{n}",
        AT.add(minutes=minutes),
        nps=nps,
        satisfaction=sat,
        dimensions=dims or None,
        comment=comment,
        feedback_class=given_class,
    ),
    st.integers(0, 10_000),
    st.integers(-60 * 24 * 5, 60 * 24 * 40),
    st.integers(0, 10),
    st.none() | scores_1_5,
    dimension_maps,
    st.sampled_from(("", "很好", "没修好")),
    st.none() | st.sampled_from(list(FeedbackClass)),
)


@given(answers=st.lists(survey_answers, max_size=30), data=st.data())
def test_for_all_surveys_partitions_merged_in_any_order_equal_one_pass(
    answers: list[SurveyResponse], data: Any
) -> None:
    parts = data.draw(st.integers(1, 4))
    where = data.draw(
        st.lists(st.integers(0, parts - 1), min_size=len(answers), max_size=len(answers))
    )
    whole = SurveyCounts()
    pieces = [SurveyCounts() for _ in range(parts)]
    for answer, index in zip(answers, where, strict=True):
        whole.add(answer)
        pieces[index].add(answer)
    forward = reduce(lambda a, b: a.merge(b), pieces).result()
    backward = reduce(lambda a, b: b.merge(a), reversed(pieces)).result()
    assert forward == backward == whole.result()
    assert whole.result().count == len(answers)
    assert whole.result().commented == sum(1 for a in answers if a.comment)


@given(answers=st.lists(survey_answers, max_size=20), data=st.data())
def test_for_all_surveys_service_kpis_merge_as_one_pass(
    answers: list[SurveyResponse], data: Any
) -> None:
    def accumulator() -> ServiceKpis:
        return ServiceKpis(Period.parse("2026-12", TZ), WorkCalendar.always(TZ))

    whole, left, right = accumulator(), accumulator(), accumulator()
    split = data.draw(st.integers(0, len(answers)))
    for index, answer in enumerate(answers):
        whole.add_survey(answer)
        (left if index < split else right).add_survey(answer)
    merged = left.merge(right).result()
    expected = whole.result()
    assert (merged.surveys, merged.nps) == (expected.surveys, expected.nps)
    in_december = [a for a in answers if Period.parse("2026-12", TZ).contains(a.at)]
    assert expected.surveys.count == len(in_december)
    assert expected.nps.responses == len(in_december)


@pytest.mark.parametrize("response", [{"nps": 9}, 9, None])
def test_anything_but_a_survey_answer_is_refused_by_the_kpis(response: Any) -> None:
    kpis = ServiceKpis(Period.parse("2026-12", TZ), WorkCalendar.always(TZ))
    with pytest.raises(InvalidData, match=r"response: \w+ is not a survey answer"):
        kpis.add_survey(response)
    assert kpis.result().nps.responses == 0
