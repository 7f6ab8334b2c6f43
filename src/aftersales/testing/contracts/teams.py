"""The named calendars and teams part of the storage contract: ``save_calendar``, ``save_team`` and their reads.

:class:`TeamStoreContract` is the suite of a
:class:`~aftersales.storage.TeamStore`: a saved definition or team is read
back equal, by its name and in name order; saving an equal one again changes
nothing; a different one under a stored name is refused unless
``replace=True``; a team whose calendar is not stored is refused, naming the
stored calendars; a refusal writes nothing; bad arguments are refused before
anything is read. Its hypothesis test holds random sequences of saves to a
reference dictionary.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemoryTeams(TeamStoreContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMemoryTeams().make_store().find_teams()
    []
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pendulum
import pytest
from hypothesis import strategies as st

from aftersales.calendar.definitions import CalendarDefinition
from aftersales.errors import InvalidData, NotFound, UnknownValue
from aftersales.storage.ports.teams import TeamStore
from aftersales.teams.team import Absence, Member, Team
from aftersales.testing.contracts.fixtures import StoreUnderTest, add_hypothesis_test

__all__ = ["TeamStoreContract", "head_office_calendar", "outlet_team"]

_LUNCH = (("09:00", "12:00"), ("13:30", "18:00"))


def head_office_calendar(
    *, saturday: bool = False, official: str | None = "CN"
) -> CalendarDefinition:
    """Office hours with a lunch break Monday–Friday (and Saturday when ``saturday``), on official days.

    Example:
        >>> head_office_calendar(saturday=True).week[5]
        (('09:00', '12:00'), ('13:30', '18:00'))
    """
    days = range(6 if saturday else 5)
    return CalendarDefinition(
        "Asia/Shanghai",
        dict.fromkeys(days, _LUNCH),
        official=official,
        days_off={date(2026, 12, 31): "年终盘点"},
        complete_years=[2027],
    )


def outlet_team(name: str = "广州网点", *, calendar: str = "广州网点", members: int = 2) -> Team:
    """A team of ``members`` members (陈工 with product skills, the others without), one on leave.

    Example:
        >>> [m.name for m in outlet_team(members=3).members]
        ['陈工', '成员2', '成员3']
    """
    names = ["陈工", *(f"成员{i}" for i in range(2, members + 1))]
    start = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
    return Team(
        name,
        calendar,
        [
            Member(n, skills=["product_quality", "A型智能办公设备"] if n == "陈工" else [])
            for n in names
        ],
        [Absence(names[-1], start, start.add(days=2), "年假 — 事先申请")],
        fallback="值班主管",
    )


class TeamStoreContract(StoreUnderTest):
    """The contract of :class:`~aftersales.storage.TeamStore`.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestSQLiteTeams(TeamStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLiteTeams().make_store(), TeamStore)
        True
    """

    hypothesis_examples = 20

    def test_is_a_team_store_and_starts_empty(self, store: Any) -> None:
        assert isinstance(store, TeamStore)
        assert store.find_calendars() == {}
        assert store.find_teams() == []

    def test_a_saved_calendar_is_read_back_equal(self, store: Any) -> None:
        definition = head_office_calendar(saturday=True)
        store.save_calendar("广州网点", definition)
        found = store.get_calendar("广州网点")
        assert found == definition
        assert found.to_dict() == definition.to_dict()
        assert store.find_calendars() == {"广州网点": definition}

    def test_calendars_and_teams_come_in_name_order(self, store: Any) -> None:
        names = ["上海总部", "Hotline", "广州网点", "hotline-2", "24x7"]
        for name in names:
            store.save_calendar(name, head_office_calendar())
        assert list(store.find_calendars()) == sorted(names)
        for name in names:
            store.save_team(outlet_team(name, calendar=name))
        assert [t.name for t in store.find_teams()] == sorted(names)

    def test_a_saved_team_is_read_back_equal(self, store: Any) -> None:
        store.save_calendar("广州网点", head_office_calendar(saturday=True))
        team = outlet_team(members=3)
        store.save_team(team)
        found = store.get_team("广州网点")
        assert found == team
        assert found.absences[0].reason == "年假 — 事先申请"
        assert found.members[0].skills == {"product_quality", "A型智能办公设备"}
        assert store.find_teams() == [team]

    def test_saving_the_same_again_changes_nothing(self, store: Any) -> None:
        store.save_calendar("广州网点", head_office_calendar())
        store.save_calendar("广州网点", head_office_calendar())
        store.save_team(outlet_team())
        store.save_team(outlet_team())
        assert store.find_calendars() == {"广州网点": head_office_calendar()}
        assert store.find_teams() == [outlet_team()]

    def test_another_definition_under_a_stored_name_is_refused_unless_replace(
        self, store: Any
    ) -> None:
        store.save_calendar("广州网点", head_office_calendar())
        with pytest.raises(InvalidData, match="another definition is stored under '广州网点'"):
            store.save_calendar("广州网点", head_office_calendar(saturday=True))
        assert store.get_calendar("广州网点") == head_office_calendar()
        store.save_calendar("广州网点", head_office_calendar(saturday=True), replace=True)
        assert store.get_calendar("广州网点") == head_office_calendar(saturday=True)

    def test_another_team_under_a_stored_name_is_refused_unless_replace(self, store: Any) -> None:
        store.save_calendar("广州网点", head_office_calendar())
        store.save_team(outlet_team(members=2))
        with pytest.raises(InvalidData, match="another team is stored under '广州网点'"):
            store.save_team(outlet_team(members=3))
        assert store.get_team("广州网点") == outlet_team(members=2)
        store.save_team(outlet_team(members=3), replace=True)
        assert store.get_team("广州网点") == outlet_team(members=3)

    def test_a_team_on_a_calendar_not_stored_is_refused_and_nothing_written(
        self, store: Any
    ) -> None:
        store.save_calendar("上海总部", head_office_calendar())
        with pytest.raises(UnknownValue) as raised:
            store.save_team(outlet_team(calendar="广州网点"))
        assert raised.value.value == "广州网点"
        assert raised.value.accepted == ("上海总部",)
        assert store.find_teams() == []

    def test_names_not_stored_are_not_found(self, store: Any) -> None:
        with pytest.raises(NotFound):
            store.get_calendar("广州网点")
        with pytest.raises(NotFound):
            store.get_team("广州网点")

    @pytest.mark.parametrize(
        ("arguments", "path"),
        [
            (("", head_office_calendar(), False), "name"),
            ((" 热线", head_office_calendar(), False), "name"),
            ((7, head_office_calendar(), False), "name"),
            (("热线", {"tz": "UTC"}, False), "definition"),
            (("热线", head_office_calendar(), "yes"), "replace"),
        ],
    )
    def test_bad_calendar_arguments_are_refused_before_anything_is_written(
        self, store: Any, arguments: tuple[Any, Any, Any], path: str
    ) -> None:
        name, definition, replace = arguments
        with pytest.raises(InvalidData) as raised:
            store.save_calendar(name, definition, replace=replace)
        assert path in dict(raised.value.problems)
        assert store.find_calendars() == {}

    @pytest.mark.parametrize(
        ("arguments", "path"),
        [((outlet_team().to_dict(), False), "team"), ((outlet_team(), 1), "replace")],
    )
    def test_bad_team_arguments_are_refused_before_anything_is_written(
        self, store: Any, arguments: tuple[Any, Any], path: str
    ) -> None:
        store.save_calendar("广州网点", head_office_calendar())
        team, replace = arguments
        with pytest.raises(InvalidData) as raised:
            store.save_team(team, replace=replace)
        assert path in dict(raised.value.problems)
        assert store.find_teams() == []

    def test_a_name_that_is_not_a_text_is_refused_by_the_reads(self, store: Any) -> None:
        with pytest.raises(InvalidData, match="name: 7 is not a name"):
            store.get_team(7)
        with pytest.raises(InvalidData, match="name: None is not a name"):
            store.get_calendar(None)

    def check_saves_match_a_reference(self, data: Any) -> None:
        store = self.make_store()
        try:
            calendars: dict[str, CalendarDefinition] = {}
            teams: dict[str, Team] = {}
            steps = data.draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(("calendar", "team")),
                        st.sampled_from(("上海总部", "广州网点", "Hotline")),
                        st.integers(1, 3),
                        st.booleans(),
                    ),
                    max_size=10,
                )
            )
            for kind, name, variant, replace in steps:
                if kind == "calendar":
                    definition = head_office_calendar(
                        saturday=variant == 2, official=None if variant == 3 else "CN"
                    )
                    stored_calendar = calendars.get(name)
                    if stored_calendar not in (None, definition) and not replace:
                        with pytest.raises(InvalidData):
                            store.save_calendar(name, definition, replace=replace)
                    else:
                        store.save_calendar(name, definition, replace=replace)
                        calendars[name] = definition
                else:
                    team = outlet_team(name, calendar=name, members=variant)
                    stored_team = teams.get(name)
                    if name not in calendars:
                        with pytest.raises(UnknownValue):
                            store.save_team(team, replace=replace)
                    elif stored_team not in (None, team) and not replace:
                        with pytest.raises(InvalidData):
                            store.save_team(team, replace=replace)
                    else:
                        store.save_team(team, replace=replace)
                        teams[name] = team
                assert store.find_calendars() == {n: calendars[n] for n in sorted(calendars)}
                assert store.find_teams() == [teams[n] for n in sorted(teams)]
        finally:
            self.dispose_store(store)


add_hypothesis_test(
    TeamStoreContract, "test_saves_match_a_reference", "check_saves_match_a_reference"
)
