"""The official holiday schedules part of the storage contract: ``save_schedule`` and ``find_schedules``.

:class:`ScheduleStoreContract` is the suite of a
:class:`~aftersales.storage.ScheduleStore`: a saved schedule is found again,
equal to what was saved; one per country and year; saving an equal one again
changes nothing; a different one for the same year is refused (naming the
dates that differ) unless ``replace=True``, and a refusal writes nothing;
bad arguments are refused before anything is read. Its hypothesis test holds
random sequences of saves to a reference dictionary. The schedules written
are fictional examples (years 2031–2035), never official data.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemorySchedules(ScheduleStoreContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMemorySchedules().make_store().find_schedules()
    []
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import strategies as st

from aftersales.calendar.schedules import OfficialSchedule
from aftersales.errors import InvalidData, ScheduleError
from aftersales.storage.ports.schedules import ScheduleStore
from aftersales.testing.contracts.fixtures import StoreUnderTest, add_hypothesis_test

__all__ = ["ScheduleStoreContract", "fictional_schedule"]


def fictional_schedule(
    year: int = 2031, *, first_off: int = 1, days: int = 3, country: str = "CN", source: str = ""
) -> OfficialSchedule:
    """A made-up schedule (NOT an official notice): ``days`` days off from 1 October + ``first_off`` − 1.

    The Saturday or Sunday before 1 October is its working day.

    Example:
        >>> s = fictional_schedule(2031)
        >>> sorted(s.days_off)[0], list(s.working_days)
        (datetime.date(2031, 10, 1), [datetime.date(2031, 9, 28)])
    """
    start = date(year, 10, first_off)
    weekend = date(year, 9, 30)
    while weekend.weekday() < 5:
        weekend -= timedelta(days=1)
    return OfficialSchedule(
        year,
        {start + timedelta(days=i): "国庆节" for i in range(days)},
        {weekend: "国庆节调休"},
        country=country,
        source=source or f"fictional example {year}",
    )


class ScheduleStoreContract(StoreUnderTest):
    """The contract of :class:`~aftersales.storage.ScheduleStore`.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestSQLiteSchedules(ScheduleStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLiteSchedules().make_store(), ScheduleStore)
        True
    """

    hypothesis_examples = 20

    def test_is_a_schedule_store(self, store: Any) -> None:
        assert isinstance(store, ScheduleStore)
        assert store.find_schedules() == []

    def test_a_saved_schedule_is_found_equal(self, store: Any) -> None:
        schedule = fictional_schedule(2031, source="示例 — 虚构, not a notice\n第二行")
        store.save_schedule(schedule)
        found = store.find_schedules()
        assert found == [schedule]
        assert dict(found[0].days_off) == dict(schedule.days_off)
        assert found[0].source == schedule.source

    def test_find_orders_by_country_then_year_and_filters(self, store: Any) -> None:
        for year, country in ((2033, "CN"), (2031, "CN"), (2032, "HK")):
            store.save_schedule(fictional_schedule(year, country=country))
        assert [(s.country, s.year) for s in store.find_schedules()] == [
            ("CN", 2031),
            ("CN", 2033),
            ("HK", 2032),
        ]
        assert [s.year for s in store.find_schedules("CN")] == [2031, 2033]
        assert [s.year for s in store.find_schedules("HK")] == [2032]
        assert store.find_schedules("JP") == []

    def test_saving_the_same_schedule_again_changes_nothing(self, store: Any) -> None:
        schedule = fictional_schedule(2031)
        store.save_schedule(schedule)
        store.save_schedule(fictional_schedule(2031))
        assert store.find_schedules() == [schedule]

    def test_a_different_schedule_of_the_year_is_refused_and_nothing_written(
        self, store: Any
    ) -> None:
        stored = fictional_schedule(2031, days=3)
        store.save_schedule(stored)
        with pytest.raises(ScheduleError) as raised:
            store.save_schedule(fictional_schedule(2031, days=4))
        assert "2031-10-04: stored not listed, new off (国庆节)" in str(raised.value)
        assert "replace=True" in str(raised.value)
        assert store.find_schedules() == [stored]

    def test_replace_takes_the_stored_ones_place(self, store: Any) -> None:
        store.save_schedule(fictional_schedule(2031, days=3))
        new = fictional_schedule(2031, first_off=2, days=5)
        store.save_schedule(new, replace=True)
        assert store.find_schedules() == [new]

    @pytest.mark.parametrize(
        ("arguments", "path"),
        [
            (("cn-2031.toml",), "schedule"),
            ((None,), "schedule"),
            ((fictional_schedule(2031), 1), "replace"),
        ],
    )
    def test_bad_arguments_are_refused_before_anything_is_written(
        self, store: Any, arguments: tuple[Any, ...], path: str
    ) -> None:
        schedule, *rest = arguments
        with pytest.raises(InvalidData) as raised:
            store.save_schedule(schedule, replace=rest[0]) if rest else store.save_schedule(
                schedule
            )
        assert path in dict(raised.value.problems)
        assert store.find_schedules() == []

    def test_a_country_that_is_not_a_text_is_refused(self, store: Any) -> None:
        with pytest.raises(InvalidData, match="country: 86 is not a country code"):
            store.find_schedules(86)

    def check_saves_match_a_reference(self, data: Any) -> None:
        store = self.make_store()
        try:
            reference: dict[tuple[str, int], OfficialSchedule] = {}
            steps = data.draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(("CN", "HK")),
                        st.integers(2031, 2035),
                        st.integers(1, 3),
                        st.integers(1, 7),
                        st.booleans(),
                    ),
                    max_size=8,
                )
            )
            for country, year, first, days, replace in steps:
                schedule = fictional_schedule(year, first_off=first, days=days, country=country)
                key = (country, year)
                stored = reference.get(key)
                if stored is not None and stored != schedule and not replace:
                    with pytest.raises(ScheduleError):
                        store.save_schedule(schedule, replace=replace)
                else:
                    store.save_schedule(schedule, replace=replace)
                    reference[key] = schedule
                assert store.find_schedules() == [reference[k] for k in sorted(reference)]
        finally:
            self.dispose_store(store)


add_hypothesis_test(
    ScheduleStoreContract, "test_saves_match_a_reference", "check_saves_match_a_reference"
)
