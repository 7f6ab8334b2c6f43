"""Names a store keys rows by are refused alike by every store when they are too long.

MySQL keys a calendar's, a team's and a product model's name as
``VARCHAR(191)``; a longer one used to reach the server and come back as a
``StorageError`` ("Data too long"), where SQLite and the memory store took it.
Now every store refuses a name over :data:`aftersales._checks.MAX_KEY_TEXT`
characters with ``InvalidData`` before it writes, and keeps one up to that
length, 4-byte characters included, on MariaDB as elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales import InvalidData
from aftersales._checks import MAX_KEY_TEXT
from aftersales.calendar import CalendarDefinition
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.teams import Member, Team
from tests.storage.mariadb_stores import MySQLStore, empty, reset_unless_current

_CALENDAR = CalendarDefinition("Asia/Shanghai", {day: [("09:00", "18:00")] for day in range(5)})

#: Names around the limit, of 1- to 4-byte characters.
_NAMES = st.builds(
    lambda unit, length: (unit * length)[:length],
    st.sampled_from(["a", "é", "标", "𠀀", "😀标"]),
    st.integers(MAX_KEY_TEXT - 3, MAX_KEY_TEXT + 3),
)


def _save_calendar(store: Any, name: str) -> Callable[[], object]:
    return lambda: store.save_calendar(name, _CALENDAR)


def _save_team(store: Any, name: str) -> Callable[[], object]:
    def save() -> None:
        team = Team(name, "总部", [Member("陈工")])
        store.save_calendar("总部", _CALENDAR, replace=True)
        store.save_team(team)

    return save


def _save_installed_base(store: Any, name: str) -> Callable[[], object]:
    return lambda: store.save_installed_base({name: 12})


def _stored(store: Any) -> tuple[object, ...]:
    return (
        sorted(store.find_calendars()),
        sorted(team.name for team in store.find_teams()),
        store.find_installed_base(),
    )


_WRITES = {
    "calendar": _save_calendar,
    "team": _save_team,
    "installed base": _save_installed_base,
}


@pytest.fixture(scope="module")
def mariadb_store(mariadb_url: str) -> Iterator[MySQLStore]:
    reset_unless_current(mariadb_url)
    with MySQLStore(mariadb_url, max_size=2) as store:
        store.url = mariadb_url  # type: ignore[attr-defined]
        yield store


@pytest.mark.parametrize("write", sorted(_WRITES))
def test_a_name_is_kept_up_to_the_limit_and_refused_beyond_it_by_every_store(
    mariadb_store: MySQLStore, write: str
) -> None:
    @settings(max_examples=12, deadline=None)
    @given(name=_NAMES)
    def check(name: str) -> None:
        empty(mariadb_store.url)  # type: ignore[attr-defined]
        stores = [MemoryStore(), SQLiteStore(":memory:"), mariadb_store]
        outcomes = []
        for store in stores:
            before = _stored(store)
            try:
                _WRITES[write](store, name)()
            except InvalidData as refused:
                assert _stored(store) == before
                outcomes.append(
                    (
                        "refused",
                        f"at most {MAX_KEY_TEXT}" in str(refused)
                        or f"1–{MAX_KEY_TEXT}" in str(refused),
                    )
                )
            else:
                outcomes.append(("kept", name in str(_stored(store))))
        expected = ("kept", True) if len(name) <= MAX_KEY_TEXT else ("refused", True)
        assert outcomes == [expected] * len(stores), (len(name), outcomes)

    check()
