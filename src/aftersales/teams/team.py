"""A service team: its members with their skills, their absences, and the calendar it works on.

A :class:`Team` names the working calendar it keeps (a
:class:`~aftersales.calendar.CalendarDefinition` stored under that name), lists
its :class:`Member` s (each with the skills that make them the right person for
a problem: category codes, product models or names) and their
:class:`Absence` s (leave, training, a day at the trade fair). Who of them is
at work at an instant — the calendar says it is working time, the member is
active and not absent — is what the assignment rules choose among
(:func:`Team.at_work`). The dictionary form (:meth:`Team.to_dict`,
:meth:`Team.from_dict`, the TOML file of ``aftersales team define``) writes
instants as ISO 8601 texts with their offset.

Imports the calendar, the errors and the domain helpers.

Example:
    >>> import pendulum
    >>> from aftersales.calendar import WorkCalendar
    >>> team = Team("上海总部", "上海总部", [Member("王工"), Member("李工", active=False)])
    >>> at = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
    >>> working, why_not = team.at_work(at, WorkCalendar.china())
    >>> [m.name for m in working], why_not
    (['王工'], ['李工 is inactive'])
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Final

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.calendar import WorkCalendar
from aftersales.errors import CalendarError, InvalidData, UnknownValue

__all__ = ["TEAM_KEYS", "Absence", "Member", "Team"]

#: The keys of a team's dictionary form (and of its TOML file).
TEAM_KEYS: Final = ("name", "calendar", "fallback", "members", "absences")
_MEMBER_KEYS: Final = ("name", "skills", "active")
_ABSENCE_KEYS: Final = ("member", "start", "end", "reason")
_MAX_NAME: Final = check.MAX_KEY_TEXT


def _name(value: Any, name: str) -> str:
    """A non-blank text of at most 191 characters: a team, a member, a calendar, a skill."""
    checked = check.text(value, name)
    if len(checked) > _MAX_NAME or checked != checked.strip():
        message = (
            f"{shown(value)} is not a name; accepted: a text of 1–{_MAX_NAME} characters"
            " without leading or trailing spaces"
        )
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return checked


def _skills(value: Any, name: str) -> frozenset[str]:
    return frozenset(check.tuple_of(_name)(value, name))


def _skill_set(value: Iterable[str]) -> frozenset[str]:
    """A list of skills as a set; anything else as it is, for the skills' check to name."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]
    try:
        return frozenset(value)
    except TypeError:  # an unhashable item: the check names it
        return value  # type: ignore[return-value]


def _as_tuple(value: Iterable[Any]) -> Any:
    """A list as a tuple; anything else as it is, for the check to name."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def _member_tuple(value: Iterable[Member]) -> tuple[Member, ...]:
    """A list of members as a tuple (see :func:`_as_tuple`)."""
    found: tuple[Member, ...] = _as_tuple(value)
    return found


def _absence_tuple(value: Iterable[Absence]) -> tuple[Absence, ...]:
    """A list of absences as a tuple (see :func:`_as_tuple`)."""
    found: tuple[Absence, ...] = _as_tuple(value)
    return found


@attrs.frozen(slots=True)
class Member:
    """A member of a team: who, what they are good at, and whether they take tickets at all.

    ``skills`` are the codes of problem categories (``product_quality``) and
    product models or names (``A型智能办公设备``) the member handles best; an
    inactive member (left, or on long leave) is never assigned.

    Example:
        >>> Member("王工", skills=["product_quality", "A型智能办公设备"]).skills == {
        ...     "product_quality", "A型智能办公设备"}
        True
        >>> Member(" 王工")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: name: ' 王工' is not a name; accepted: a text of 1–191 characters without leading or trailing spaces
    """

    name: str
    skills: frozenset[str] = attrs.field(default=frozenset(), kw_only=True, converter=_skill_set)
    active: bool = attrs.field(default=True, kw_only=True)

    _checks: ClassVar[check.Checks] = (
        ("name", _name),
        ("skills", _skills),
        ("active", check.flag),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-shaped form: ``name``, ``skills`` (sorted) and ``active``.

        Example:
            >>> Member("王工", skills=["b", "a"]).to_dict()
            {'name': '王工', 'skills': ['a', 'b'], 'active': True}
        """
        return {"name": self.name, "skills": sorted(self.skills), "active": self.active}


@attrs.frozen(slots=True)
class Absence:
    """A member away from ``start`` up to, not including, ``end`` (instants, kept in UTC).

    Example:
        >>> import pendulum
        >>> leave = Absence("王工", pendulum.datetime(2026, 3, 2, tz="Asia/Shanghai"),
        ...                 pendulum.datetime(2026, 3, 4, tz="Asia/Shanghai"), "年假")
        >>> leave.covers(pendulum.datetime(2026, 3, 3, 10, tz="Asia/Shanghai"))
        True
        >>> Absence("王工", leave.end, leave.start)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: end: 2026-03-01T16:00:00+00:00 is not after the start 2026-03-03T16:00:00+00:00; accepted: an instant after the start
    """

    member: str
    start: pendulum.DateTime
    end: pendulum.DateTime
    reason: str = ""

    _checks: ClassVar[check.Checks] = (
        ("member", _name),
        ("start", check.aware),
        ("end", check.aware),
        ("reason", check.optional_text),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        if self.end <= self.start:
            message = (
                f"{self.end.isoformat()} is not after the start {self.start.isoformat()};"
                " accepted: an instant after the start"
            )
            raise InvalidData(f"end: {message}", problems=[("end", message)])

    def covers(self, at: datetime) -> bool:
        """Whether the member is away at ``at``.

        Example:
            >>> import pendulum
            >>> day = pendulum.datetime(2026, 3, 2, tz="UTC")
            >>> Absence("王工", day, day.add(days=1)).covers(day.add(days=1))
            False
        """
        return self.start <= check.aware(at, "at") < self.end

    def to_dict(self) -> dict[str, Any]:
        """The JSON-shaped form, instants as ISO 8601 texts in UTC.

        Example:
            >>> import pendulum
            >>> day = pendulum.datetime(2026, 3, 2, tz="Asia/Shanghai")
            >>> Absence("王工", day, day.add(days=1), "培训").to_dict()["start"]
            '2026-03-01T16:00:00+00:00'
        """
        return {
            "member": self.member,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "reason": self.reason,
        }


def _members(value: Any, name: str) -> tuple[Member, ...]:
    members: tuple[Member, ...] = check.tuple_of(check.instance_of(Member), non_empty=True)(
        value, name
    )
    seen: set[str] = set()
    for index, member in enumerate(members):
        if member.name in seen:
            message = f"{shown(member.name)} is listed twice; accepted: each member once"
            raise InvalidData(
                f"{name}[{index}]: {message}", problems=[(f"{name}[{index}]", message)]
            )
        seen.add(member.name)
    return members


@attrs.frozen(slots=True)
class Team:
    """A team: its name, the name of its stored calendar, its members and their absences.

    Args:
        name: the team's name (``上海总部``).
        calendar: the name of the calendar it works on, as stored
            (``store.save_calendar(name, definition)``).
        members: at least one :class:`Member`, each name once.
        absences: the members' :class:`Absence` s; one member's may not overlap.
        fallback: who takes a ticket when no member is at work (a duty
            supervisor, a queue's name), or ``None``: the ticket stays with
            its handler (see :mod:`aftersales.teams.assignment`).

    Raises:
        InvalidData: every problem at once: a bad name, no member, a member
            listed twice, an absence of someone who is not a member, two
            absences of one member that overlap.

    Example:
        >>> import pendulum
        >>> day = pendulum.datetime(2026, 3, 2, tz="Asia/Shanghai")
        >>> Team("广州网点", "广州网点", [Member("陈工")],
        ...      [Absence("陈工", day, day.add(days=2)), Absence("陈工", day.add(days=1), day.add(days=3))])
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: absences[1]: 陈工's absence 2026-03-02T16:00:00+00:00–2026-03-04T16:00:00+00:00 overlaps absences[0] (2026-03-01T16:00:00+00:00–2026-03-03T16:00:00+00:00); accepted: absences of one member that do not overlap
    """

    name: str
    calendar: str
    members: tuple[Member, ...] = attrs.field(converter=_member_tuple)
    absences: tuple[Absence, ...] = attrs.field(default=(), converter=_absence_tuple)
    fallback: str | None = attrs.field(default=None, kw_only=True)

    _checks: ClassVar[check.Checks] = (
        ("name", _name),
        ("calendar", _name),
        ("members", _members),
        ("absences", check.tuple_of(check.instance_of(Absence))),
        ("fallback", check.optional(_name)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        names = {m.name for m in self.members}
        problems: list[tuple[str, str]] = []
        for index, absence in enumerate(self.absences):
            path = f"absences[{index}]"
            if absence.member not in names:
                problems.append(
                    (
                        f"{path}.member",
                        UnknownValue("member", absence.member, sorted(names)).problems[0][1],
                    )
                )
                continue
            for earlier, other in enumerate(self.absences[:index]):
                if other.member == absence.member and _overlapping(absence, other):
                    problems.append((path, _overlap(absence, other, earlier)))
                    break
        if problems:
            raise InvalidData.from_problems(problems)

    def member(self, name: str) -> Member:
        """The member called ``name``; :class:`~aftersales.errors.UnknownValue` listing them otherwise.

        Example:
            >>> Team("t", "c", [Member("王工")]).member("赵工")
            Traceback (most recent call last):
            ...
            aftersales.errors.UnknownValue: member: '赵工' is not a known value; accepted: '王工'
        """
        for member in self.members:
            if member.name == name:
                return member
        raise UnknownValue("member", name, [m.name for m in self.members])

    def absence_at(self, member: str, at: datetime) -> Absence | None:
        """The absence of ``member`` covering ``at``, if any.

        Example:
            >>> import pendulum
            >>> day = pendulum.datetime(2026, 3, 2, tz="UTC")
            >>> team = Team("t", "c", [Member("王工")], [Absence("王工", day, day.add(days=1), "年假")])
            >>> team.absence_at("王工", day.add(hours=3)).reason, team.absence_at("王工", day.add(days=1))
            ('年假', None)
        """
        at = check.aware(at, "at")
        for absence in self.absences:
            if absence.member == member and absence.covers(at):
                return absence
        return None

    def at_work(self, at: datetime, calendar: WorkCalendar) -> tuple[list[Member], list[str]]:
        """The members at work at ``at`` on ``calendar``, and why each other one is not.

        A member is at work when ``at`` is working time on the team's
        calendar, the member is active and no absence of theirs covers
        ``at``. A calendar that cannot say (a year without official data,
        :class:`~aftersales.errors.CalendarCoverageError`) puts nobody at
        work, and says why.

        Example:
            >>> import pendulum
            >>> from aftersales.calendar import WorkCalendar
            >>> team = Team("上海总部", "上海总部", [Member("王工")])
            >>> saturday = pendulum.datetime(2026, 3, 7, 10, tz="Asia/Shanghai")
            >>> team.at_work(saturday, WorkCalendar.china())
            ([], ["2026-03-07T02:00:00+00:00 is outside the working hours of calendar '上海总部'"])
        """
        at = check.aware(at, "at")
        try:
            working = calendar.is_working_time(at)
        except CalendarError as error:
            return [], [f"calendar {self.calendar!r} cannot say whether it works then: {error}"]
        if not working:
            return [], [
                f"{at.isoformat()} is outside the working hours of calendar {self.calendar!r}"
            ]
        found: list[Member] = []
        why_not: list[str] = []
        for member in self.members:
            absence = self.absence_at(member.name, at)
            if not member.active:
                why_not.append(f"{member.name} is inactive")
            elif absence is not None:
                reason = f" ({absence.reason})" if absence.reason else ""
                why_not.append(f"{member.name} is away until {absence.end.isoformat()}{reason}")
            else:
                found.append(member)
        return found, why_not

    # -- the dictionary form -------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON-shaped form (what :meth:`from_dict` reads back); no ``fallback`` key without one.

        Example:
            >>> Team("t", "c", [Member("王工")]).to_dict()
            {'name': 't', 'calendar': 'c', 'members': [{'name': '王工', 'skills': [], 'active': True}], 'absences': []}
        """
        data: dict[str, Any] = {"name": self.name, "calendar": self.calendar}
        if self.fallback is not None:
            data["fallback"] = self.fallback
        data["members"] = [m.to_dict() for m in self.members]
        data["absences"] = [a.to_dict() for a in self.absences]
        return data

    def to_json(self) -> str:
        """:meth:`to_dict` as compact JSON text (Chinese kept as it is).

        Example:
            >>> Team("t", "c", [Member("王工")]).to_json()[:27]
            '{"name":"t","calendar":"c",'
        """
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: object, *, where: str = "") -> Team:
        """The team a dictionary (a parsed TOML or JSON file) describes; every problem at once.

        Keys: ``name``, ``calendar`` and ``members`` (required: a list of
        tables with ``name``, ``skills`` and ``active``), ``absences`` (a list
        of tables with ``member``, ``start``, ``end`` — aware instants, or
        ISO 8601 texts with an offset — and ``reason``) and ``fallback``.

        Example:
            >>> Team.from_dict({"name": "t", "calendar": "c", "members": [{"nom": "王工"}]})
            Traceback (most recent call last):
            ...
            aftersales.errors.InvalidData: 2 invalid values:
              members[0].nom: unknown key; accepted: name, skills, active
              members[0].name: missing; accepted: a value, it is required
        """
        problems: list[tuple[str, str]] = []
        table = _table(data, "", TEAM_KEYS, ("name", "calendar", "members"), problems)
        members = [
            _table(item, f"members[{i}]", _MEMBER_KEYS, ("name",), problems)
            for i, item in enumerate(_list(table.get("members", []), "members", problems))
        ]
        absences = [
            _table(item, f"absences[{i}]", _ABSENCE_KEYS, ("member", "start", "end"), problems)
            for i, item in enumerate(_list(table.get("absences", []), "absences", problems))
        ]
        for i, absence in enumerate(absences):
            for key in ("start", "end"):
                if isinstance(absence.get(key), str):
                    absence[key] = _instant(absence[key], f"absences[{i}].{key}", problems)
        if problems:
            raise _refused(problems, where)
        member_values = _all_built(Member, members, "members", problems)
        absence_values = _all_built(Absence, absences, "absences", problems)
        if problems:
            raise _refused(problems, where)
        try:
            return cls(
                table["name"],
                table["calendar"],
                tuple(member_values),
                tuple(absence_values),
                fallback=table.get("fallback"),
            )
        except InvalidData as error:
            raise _refused(list(error.problems), where) from None

    @classmethod
    def from_toml(cls, text: str, *, where: str = "") -> Team:
        """The team a TOML file's text describes (see :meth:`from_dict` for its keys).

        Example:
            >>> team = Team.from_toml('name = "广州网点"\\ncalendar = "广州网点"\\n'
            ...                       '[[members]]\\nname = "陈工"\\n[[absences]]\\nmember = "陈工"\\n'
            ...                       'start = 2026-03-02T09:00:00+08:00\\nend = 2026-03-03T09:00:00+08:00\\n')
            >>> team.absences[0].start.isoformat()
            '2026-03-02T01:00:00+00:00'
        """
        if not isinstance(text, str):
            message = f"{type(text).__name__} is not a text; accepted: the text of a TOML file"
            raise InvalidData(f"text: {message}", problems=[("text", message)])
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            message = f"not TOML ({error}); accepted: a TOML file of a team (docs/teams.md)"
            raise InvalidData(
                f"{where}: {message}" if where else message, problems=[(where, message)]
            ) from None
        return cls.from_dict(data, where=where)


def _overlapping(a: Absence, b: Absence) -> bool:
    """Whether two half-open absences share an instant."""
    return a.start < b.end and b.start < a.end


def _overlap(absence: Absence, other: Absence, earlier: int) -> str:
    return (
        f"{absence.member}'s absence {absence.start.isoformat()}–{absence.end.isoformat()}"
        f" overlaps absences[{earlier}] ({other.start.isoformat()}–{other.end.isoformat()});"
        " accepted: absences of one member that do not overlap"
    )


def _table(
    value: object,
    path: str,
    keys: Iterable[str],
    required: Iterable[str],
    problems: list[tuple[str, str]],
) -> dict[str, Any]:
    """``value`` as a dictionary of ``keys``; a problem for an unknown or a missing key."""
    keys = tuple(keys)
    prefix = f"{path}." if path else ""
    if not isinstance(value, Mapping):
        message = f"{type(value).__name__} is not a table; accepted: a table of {', '.join(keys)}"
        problems.append((path, message))
        return {}
    for key in value:
        if key not in keys:
            problems.append((f"{prefix}{key}", f"unknown key; accepted: {', '.join(keys)}"))
    for key in required:
        if key not in value:
            problems.append((f"{prefix}{key}", "missing; accepted: a value, it is required"))
    return {str(k): v for k, v in value.items() if k in keys}


def _list(value: object, path: str, problems: list[tuple[str, str]]) -> list[Any]:
    if not isinstance(value, list):
        problems.append((path, f"{type(value).__name__} is not a list; accepted: a list of tables"))
        return []
    return value


def _instant(text: str, path: str, problems: list[tuple[str, str]]) -> object:
    """An ISO 8601 text as a datetime (its offset checked by the absence)."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        problems.append(
            (
                path,
                f"{shown(text)} is not an instant; accepted: ISO 8601 such as 2026-03-02T09:00+08:00",
            )
        )
        return text


def _all_built(
    cls: type[Any], tables: list[dict[str, Any]], path: str, problems: list[tuple[str, str]]
) -> list[Any]:
    """``cls(**table)`` for each table; each one's problems under ``path[i]``."""
    built = []
    for index, fields in enumerate(tables):
        try:
            built.append(cls(**fields))
        except InvalidData as error:
            problems += [(f"{path}[{index}].{p}", m) for p, m in error.problems]
    return built


def _refused(problems: list[tuple[str, str]], where: str) -> InvalidData:
    """One error of every problem, ``where`` (a file name) first; a problem of the whole without a path."""
    whole = len(problems) == 1 and not problems[0][0]
    message = problems[0][1] if whole else str(InvalidData.from_problems(problems))
    return InvalidData(f"{where}: {message}" if where else message, problems=problems)
