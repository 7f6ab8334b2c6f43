"""The calendar's public functions refuse bad input with an InvalidData naming it, never a bare
built-in; a batch reaching years the calendar cannot answer about fails like one query at a time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.calendar import WorkCalendar
from aftersales.errors import CalendarCoverageError, InvalidData

OFFICE = {d: [("09:00", "12:00"), ("13:30", "18:00")] for d in range(5)}
NOT_TEXT = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.binary(), st.lists(st.integers())
)
NOT_A_LIST = st.one_of(st.none(), st.booleans(), st.integers(), st.floats())
ZONE_ACCEPTED = "accepted: an IANA name such as 'Asia/Shanghai'"


# -- bad arguments ---------------------------------------------------------------------------


def test_a_country_code_that_is_not_text_is_refused_naming_it() -> None:
    with pytest.raises(InvalidData) as caught:
        WorkCalendar.for_country(86, tz="Asia/Shanghai")  # type: ignore[arg-type]
    assert str(caught.value) == (
        "code: 86 is not a country code; accepted: an ISO 3166 code such as 'CN'"
    )


@given(NOT_TEXT)
def test_every_country_code_that_is_not_text_is_refused(code: Any) -> None:
    with pytest.raises(InvalidData) as caught:
        WorkCalendar.for_country(code, tz="UTC")
    [(path, message)] = caught.value.problems
    assert path == "code"
    assert message.endswith("is not a country code; accepted: an ISO 3166 code such as 'CN'")


@given(NOT_A_LIST)
def test_office_hours_that_are_not_a_list_are_refused(hours: Any) -> None:
    expected = (("hours", f"{type(hours).__name__} is not a list; accepted: a list"),)
    with pytest.raises(InvalidData) as caught:
        WorkCalendar.china(hours=hours)
    assert caught.value.problems == expected
    with pytest.raises(InvalidData) as caught:
        WorkCalendar.for_country("DE", tz="Europe/Berlin", hours=hours)
    assert caught.value.problems == expected


@given(
    st.lists(st.integers(2000, 2100), max_size=3),
    st.one_of(st.none(), st.booleans(), st.floats(), st.text()),
)
def test_covered_years_must_be_years(years: list[int], bad: Any) -> None:
    with pytest.raises(InvalidData) as caught:
        WorkCalendar("UTC", OFFICE, covered_years=[*years, bad])
    [(path, message)] = caught.value.problems
    assert path == "covered_years"
    assert message.endswith("is not a year; accepted: an int")


@given(NOT_A_LIST.filter(lambda value: value is not None))
def test_covered_years_must_be_a_list(bad: Any) -> None:
    with pytest.raises(InvalidData) as caught:
        WorkCalendar("UTC", OFFICE, covered_years=bad)
    assert caught.value.problems == (
        ("covered_years", f"{type(bad).__name__} is not a list; accepted: a list"),
    )


@pytest.mark.parametrize(
    "name", ["Mars/Olympus", "", "Asia", "Asia/", "../etc/passwd", "zone.tab", "a" * 300, "UTC\0"]
)
def test_a_text_that_names_no_zone_is_refused(name: str) -> None:
    with pytest.raises(InvalidData) as caught:
        WorkCalendar(name, OFFICE)
    [(path, message)] = caught.value.problems
    assert path == "tz"
    assert message.endswith(f"is not a time zone; {ZONE_ACCEPTED}")


@given(st.text(max_size=40))
def test_any_text_is_a_zone_or_refused_naming_tz(name: str) -> None:
    try:
        calendar = WorkCalendar(name, OFFICE)
    except InvalidData as error:
        [(path, message)] = error.problems
        assert path == "tz"
        assert message.endswith(f"is not a time zone; {ZONE_ACCEPTED}")
    else:
        assert isinstance(calendar.tz, pendulum.Timezone)


class _KeyedZone(tzinfo):
    """A tzinfo whose ``key`` is not a zone name."""

    key = 28800

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=8)


def test_a_zone_object_whose_key_is_not_a_name_is_refused() -> None:
    with pytest.raises(InvalidData, match=r"^tz: .* is not a time zone"):
        WorkCalendar(_KeyedZone(), OFFICE)


# -- batches across years the calendar cannot answer about -----------------------------------

#: Official data for 2024, 2025 and 2027, and 2029 declared complete: 2023, 2026, 2028 and 2030
#: are refused. Runs of answerable years: 2024–2025, 2027, 2029.
GAPPY = WorkCalendar(
    "Asia/Shanghai", OFFICE, covered_years=[2024, 2025, 2027], complete_years=[2029]
)
US = 1_000_000
SPAN = st.integers(
    WorkCalendar.epoch_us(datetime(2023, 6, 1, tzinfo=UTC)),
    WorkCalendar.epoch_us(datetime(2030, 6, 1, tzinfo=UTC)),
)


def _one_by_one(queries: list[Any], answer: Any) -> tuple[list[int], str | None]:
    """The answers up to the first refusal, and that refusal (``type: message``)."""
    found: list[int] = []
    for query in queries:
        try:
            found.append(answer(*query))
        except CalendarCoverageError as error:
            return found, f"{type(error).__name__}: {error}"
    return found, None


@given(st.data(), st.lists(SPAN, min_size=1, max_size=12))
def test_a_batch_across_coverage_gaps_answers_like_one_query_at_a_time(
    data: st.DataObject, starts: list[int]
) -> None:
    hours = st.integers(-400 * 3600 * US, 400 * 3600 * US)
    durations = data.draw(st.lists(hours, min_size=len(starts), max_size=len(starts)))
    ends = data.draw(st.lists(SPAN, min_size=len(starts), max_size=len(starts)))
    at = GAPPY.from_epoch_us

    def add(start: int, duration: int) -> int:
        return GAPPY.epoch_us(GAPPY.add(at(start), timedelta(microseconds=duration)))

    def working_time(start: int, end: int) -> int:
        return GAPPY.working_time(at(start), at(end)) // timedelta(microseconds=1)

    for batch, queries, one in (
        (GAPPY.add_many_epoch, (starts, durations), add),
        (GAPPY.working_time_many_epoch, (starts, ends), working_time),
    ):
        expected, refusal = _one_by_one(list(zip(*queries, strict=True)), one)
        if refusal is None:
            assert batch(*queries) == expected
        else:
            with pytest.raises(CalendarCoverageError) as caught:
                batch(*queries)
            assert f"{type(caught.value).__name__}: {caught.value}" == refusal
