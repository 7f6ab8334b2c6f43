"""Property tests of WorkCalendar against a minute-by-minute brute-force reference.

The reference below is written independently of the library: it walks UTC
minutes, reads each minute's wall-clock time in the calendar's zone with
``zoneinfo`` and checks it against that local date's working minutes.  The
strategy ``calendar_specs()`` builds random calendars (several intervals per
weekday, holidays whole or partial, extra working days, special hours) in zones
with DST, and ``instants_near_dst()`` picks minute-aligned instants around the
zone's transitions; a later ``aftersales.testing`` module may reuse them.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pendulum
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aftersales.calendar import DayOff, WorkCalendar
from tests.helpers import examples

UTC = UTC
MINUTE = timedelta(minutes=1)

# Transition dates (local) of each zone in 2026, around which instants are drawn.
ZONES: dict[str, tuple[date, ...]] = {
    "Europe/Berlin": (date(2026, 3, 29), date(2026, 10, 25)),
    "America/New_York": (date(2026, 3, 8), date(2026, 11, 1)),
    "Asia/Shanghai": (date(2026, 5, 1), date(2026, 10, 1)),
    "America/Santiago": (date(2026, 4, 5), date(2026, 9, 6)),  # changes at midnight
    "Australia/Lord_Howe": (date(2026, 4, 5), date(2026, 10, 4)),  # 30-minute DST
}

SETTINGS = settings(
    max_examples=examples(2.0),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# ---------------------------------------------------------------------------
# the spec of a random calendar, and the brute-force reference


@dataclass(frozen=True)
class CalendarSpec:
    """Everything needed to build a calendar and its reference (minutes of the day)."""

    tz: str
    week: tuple[tuple[tuple[int, int], ...], ...]
    holidays: Mapping[date, tuple[str, tuple[tuple[int, int], ...] | None]]
    workdays: frozenset[date]
    special: Mapping[date, tuple[tuple[int, int], ...]]
    workday_hours: int = 0
    anchors: tuple[date, ...] = field(default=())

    def build(self) -> WorkCalendar:
        def text(m: int) -> str:
            return f"{m // 60:02d}:{m % 60:02d}"

        def pairs(ivs: tuple[tuple[int, int], ...]) -> list[tuple[str, str]]:
            return [(text(s), text(e)) for s, e in ivs]

        holidays: dict[date, Any] = {}
        for d, (name, hours) in self.holidays.items():
            holidays[d] = name if hours is None else DayOff(name, hours=pairs(hours))
        return WorkCalendar(
            self.tz,
            {i: pairs(ivs) for i, ivs in enumerate(self.week)},
            holidays=holidays,
            workdays=dict.fromkeys(self.workdays, "workday"),
            special_hours={d: pairs(ivs) for d, ivs in self.special.items()},
            workday_hours=self.workday_hours,
        )


class Reference:
    """Brute force: is the UTC minute starting at ``u`` (epoch seconds) working time?"""

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self.zone = ZoneInfo(spec.tz)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - per-example object
    def day_minutes(self, d: date) -> frozenset[int]:
        spec = self.spec
        if d in spec.special:
            base = spec.special[d]
        elif d in spec.workdays:
            base = spec.week[spec.workday_hours]
        elif d in spec.holidays and spec.holidays[d][1] is None:
            return frozenset()
        else:
            base = spec.week[d.weekday()]
        minutes = {m for s, e in base for m in range(s, e)}
        if d in spec.holidays:
            hours = spec.holidays[d][1]
            assert hours is not None
            minutes -= {m for s, e in hours for m in range(s, e)}
        return frozenset(minutes)

    def reason(self, u: int) -> str:
        """Why the (non-working) minute at ``u`` is off, per the documented rules."""
        spec = self.spec
        d, m = self.local(u)
        holiday = spec.holidays.get(d)
        if d in spec.special:
            base, kind = spec.special[d], "special hours"
        elif d in spec.workdays:
            base, kind = spec.week[spec.workday_hours], "weekend"
        elif holiday is not None and holiday[1] is None:
            return holiday[0]
        else:
            base, kind = spec.week[d.weekday()], "weekend"
        base_minutes = {x for s, e in base for x in range(s, e)}
        if holiday is not None:
            assert holiday[1] is not None
            off = {x for s, e in holiday[1] for x in range(s, e)}
            if not base_minutes - off or m in base_minutes & off:
                return holiday[0]
        return kind if not base_minutes else "off hours"

    def local(self, u: int) -> tuple[date, int]:
        wall = datetime.fromtimestamp(u, self.zone)
        return wall.date(), wall.hour * 60 + wall.minute

    def working(self, u: int) -> bool:
        d, m = self.local(u)
        return m in self.day_minutes(d)

    def working_minutes(self, a: int, b: int) -> int:
        if b < a:
            return -self.working_minutes(b, a)
        return sum(self.working(u) for u in range(a, b, 60))

    def add(self, a: int, minutes: int, limit: int = 200_000) -> int:
        if minutes == 0:
            return a
        count, u = 0, a
        if minutes > 0:
            for _ in range(limit):
                if self.working(u):
                    count += 1
                    if count == minutes:
                        return u + 60
                u += 60
        else:
            for _ in range(limit):
                u -= 60
                if self.working(u):
                    count += 1
                    if count == -minutes:
                        return u
        raise AssertionError("reference gave up")

    def next_working(self, a: int, limit: int = 200_000) -> int:
        u = a
        for _ in range(limit):
            if self.working(u):
                return u
            u += 60
        raise AssertionError("reference gave up")

    def working_day_end(self, d: date) -> int | None:
        """End (epoch s) of the last working minute whose wall date is ``d``."""
        midnight = datetime(d.year, d.month, d.day, tzinfo=self.zone)
        u0 = int(midnight.timestamp()) - 4 * 3600
        last = None
        for u in range(u0, u0 + 32 * 3600, 60):
            dd, m = self.local(u)
            if dd == d and m in self.day_minutes(d):
                last = u + 60
        return last


# ---------------------------------------------------------------------------
# strategies


@st.composite
def day_intervals(draw: st.DrawFn, max_count: int = 3) -> tuple[tuple[int, int], ...]:
    """0–``max_count`` disjoint intervals (minutes, multiples of 5, end may be 1440)."""
    n = draw(st.integers(0, max_count))
    points = draw(
        st.lists(
            st.integers(0, 288).map(lambda k: k * 5), min_size=2 * n, max_size=2 * n, unique=True
        )
    )
    points.sort()
    return tuple((points[i], points[i + 1]) for i in range(0, len(points), 2))


@st.composite
def calendar_specs(draw: st.DrawFn, zones: tuple[str, ...] = tuple(ZONES)) -> CalendarSpec:
    """A random calendar with some working time, dates clustered around DST changes."""
    tz = draw(st.sampled_from(zones))
    week = tuple(draw(day_intervals()) for _ in range(7))
    assume(sum(e - s for ivs in week for s, e in ivs) >= 30)
    anchors = ZONES[tz]
    near = st.builds(
        lambda anchor, k: anchor + timedelta(days=k),
        st.sampled_from(anchors),
        st.integers(-8, 8),
    )
    holiday_value = st.one_of(st.just(None), day_intervals(2).filter(bool))
    holidays = draw(
        st.dictionaries(near, st.tuples(st.sampled_from(["H1", "H2"]), holiday_value), max_size=4)
    )
    full_off = {d for d, (_, hours) in holidays.items() if hours is None}
    workdays = frozenset(draw(st.sets(near, max_size=3)) - full_off)
    special = draw(st.dictionaries(near, day_intervals(), max_size=3))
    special = {d: v for d, v in special.items() if d not in full_off}
    return CalendarSpec(
        tz,
        week,
        holidays,
        workdays,
        special,
        workday_hours=draw(st.integers(0, 6)),
        anchors=anchors,
    )


def instants_near_dst(spec: CalendarSpec) -> st.SearchStrategy[int]:
    """Minute-aligned epoch seconds within a week of one of the zone's transitions."""
    zone = ZoneInfo(spec.tz)

    def at(anchor: date, minutes: int) -> int:
        midnight = datetime(anchor.year, anchor.month, anchor.day, tzinfo=zone)
        return int(midnight.timestamp()) // 60 * 60 + minutes * 60

    return st.builds(at, st.sampled_from(spec.anchors), st.integers(-7 * 1440, 7 * 1440))


def pdt(u: int) -> pendulum.DateTime:
    return pendulum.from_timestamp(u, tz="UTC")


def epoch(value: datetime) -> int:
    seconds = value.timestamp()
    assert seconds == int(seconds)
    return int(seconds)


# ---------------------------------------------------------------------------
# agreement with the brute-force reference


@SETTINGS
@given(data=st.data(), spec=calendar_specs())
def test_agrees_with_minute_reference(data: st.DataObject, spec: CalendarSpec) -> None:
    cal = spec.build()
    ref = Reference(spec)
    a = data.draw(instants_near_dst(spec), label="a")
    b = a + 60 * data.draw(st.integers(-3 * 1440, 3 * 1440), label="span minutes")

    assert cal.working_time(pdt(a), pdt(b)) == MINUTE * ref.working_minutes(a, b)
    assert cal.is_working_time(pdt(a)) == ref.working(a)
    assert epoch(cal.next_working_time(pdt(a))) == ref.next_working(a)

    weekly = sum(e - s for ivs in spec.week for s, e in ivs)
    d = data.draw(st.integers(0, min(weekly, 900)), label="minutes")
    assert epoch(cal.add(pdt(a), MINUTE * d)) == ref.add(a, d)
    assert epoch(cal.add(pdt(a), -MINUTE * d)) == ref.add(a, -d)


@SETTINGS
@given(data=st.data(), spec=calendar_specs())
def test_segments_agree_with_reference(data: st.DataObject, spec: CalendarSpec) -> None:
    cal = spec.build()
    ref = Reference(spec)
    a = data.draw(instants_near_dst(spec), label="a")
    b = a + 60 * data.draw(st.integers(1, 2 * 1440), label="span minutes")
    segments = list(cal.segments(pdt(a), pdt(b)))
    assert epoch(segments[0].start) == a
    assert epoch(segments[-1].end) == b
    for left, right in itertools.pairwise(segments):
        assert epoch(left.end) == epoch(right.start)
        assert (left.working, left.reason) != (right.working, right.reason)
    for segment in segments:
        assert epoch(segment.start) < epoch(segment.end)
        assert (segment.reason is None) == segment.working
        for u in range(epoch(segment.start), epoch(segment.end), 60):
            assert ref.working(u) == segment.working, (segment, pdt(u))
            if not segment.working:
                assert segment.reason == ref.reason(u), (segment, pdt(u))
    working = sum((s.duration for s in segments if s.working), timedelta())
    assert working == cal.working_time(pdt(a), pdt(b))


@SETTINGS
@given(data=st.data(), spec=calendar_specs())
def test_add_working_days_agrees_with_reference(data: st.DataObject, spec: CalendarSpec) -> None:
    cal = spec.build()
    ref = Reference(spec)
    a = data.draw(instants_near_dst(spec), label="a")
    n = data.draw(st.integers(0, 4), label="n")
    day, _ = ref.local(a)
    ends: list[int] = []
    current = day if n == 0 else day + timedelta(days=1)
    for _ in range(400):
        end = ref.working_day_end(current)
        if end is not None:
            ends.append(end)
            if len(ends) == max(n, 1):
                break
        current += timedelta(days=1)
    assert epoch(cal.add_working_days(pdt(a), n)) == ends[-1]
    assert cal.is_working_day(day) == (ref.working_day_end(day) is not None)


# ---------------------------------------------------------------------------
# algebraic properties, at microsecond precision

micro_durations = st.integers(0, 40 * 3600 * 10**6).map(lambda us: timedelta(microseconds=us))


def instants_us(spec: CalendarSpec) -> st.SearchStrategy[pendulum.DateTime]:
    return st.builds(
        lambda u, us: pendulum.from_timestamp(u, tz="UTC").add(microseconds=us),
        instants_near_dst(spec),
        st.integers(0, 60 * 10**6 - 1),
    )


@SETTINGS
@given(data=st.data(), spec=calendar_specs())
def test_add_then_measure_and_monotone(data: st.DataObject, spec: CalendarSpec) -> None:
    cal = spec.build()
    a1, a2 = sorted(data.draw(st.lists(instants_us(spec), min_size=2, max_size=2)))
    d1, d2 = sorted(data.draw(st.lists(micro_durations, min_size=2, max_size=2)))
    # compare instants as integers: Python compares two datetimes of the same zone
    # by wall time, which is ambiguous inside a DST fold (PEP 495)
    us = WorkCalendar.epoch_us
    r = cal.add(a1, d1)
    assert cal.working_time(a1, r) == d1
    assert us(r) >= us(a1)
    assert us(cal.add(a1, d1)) <= us(cal.add(a2, d1))
    assert us(cal.add(a1, d1)) <= us(cal.add(a1, d2))
    back = cal.add(a2, -d1)
    assert us(back) <= us(a2)
    assert cal.working_time(back, a2) == d1
    assert us(cal.add(a1, -d2)) <= us(cal.add(a1, -d1)) <= us(cal.add(a2, -d1))


@SETTINGS
@given(data=st.data(), spec=calendar_specs())
def test_working_time_additive_and_antisymmetric(data: st.DataObject, spec: CalendarSpec) -> None:
    cal = spec.build()
    a, b, c = data.draw(st.lists(instants_us(spec), min_size=3, max_size=3))
    assert cal.working_time(a, c) == cal.working_time(a, b) + cal.working_time(b, c)
    assert cal.working_time(b, a) == -cal.working_time(a, b)
    lo, hi = min(a, b), max(a, b)
    assert timedelta(0) <= cal.working_time(lo, hi) <= hi - lo


@SETTINGS
@given(data=st.data(), spec=calendar_specs())
def test_forward_then_backward_returns(data: st.DataObject, spec: CalendarSpec) -> None:
    cal = spec.build()
    a = cal.next_working_time(data.draw(instants_us(spec)))
    assert cal.is_working_time(a)
    d = data.draw(micro_durations.filter(bool))
    us = WorkCalendar.epoch_us
    assert us(cal.add(cal.add(a, d), -d)) == us(a)
    assert us(cal.add(a, timedelta(0))) == us(a)


@SETTINGS
@given(data=st.data(), spec=calendar_specs())
def test_bulk_equals_scalar(data: st.DataObject, spec: CalendarSpec) -> None:
    cal = spec.build()
    starts = data.draw(st.lists(instants_us(spec), min_size=1, max_size=20))
    durations = data.draw(
        st.lists(
            st.integers(-30 * 3600 * 10**6, 30 * 3600 * 10**6),
            min_size=len(starts),
            max_size=len(starts),
        )
    )
    ends = data.draw(st.lists(instants_us(spec), min_size=len(starts), max_size=len(starts)))
    s_us = [WorkCalendar.epoch_us(s) for s in starts]
    expected = [
        WorkCalendar.epoch_us(cal.add(s, timedelta(microseconds=d)))
        for s, d in zip(starts, durations, strict=True)
    ]
    assert cal.add_many_epoch(s_us, durations) == expected
    e_us = [WorkCalendar.epoch_us(e) for e in ends]
    expected_wt = [
        cal.working_time(s, e) // timedelta(microseconds=1)
        for s, e in zip(starts, ends, strict=True)
    ]
    assert cal.working_time_many_epoch(s_us, e_us) == expected_wt
    assert cal.working_time_many(starts, ends) == [timedelta(microseconds=v) for v in expected_wt]


@pytest.mark.parametrize("tz", ["Europe/Berlin", "America/New_York"])
def test_reference_itself_counts_dst_days(tz: str) -> None:
    """Sanity check of the reference: a 24-hour week has 23h/25h switch days."""
    spec = CalendarSpec(tz, ((((0, 1440),),) * 7), {}, frozenset(), {}, anchors=ZONES[tz])
    ref = Reference(spec)
    spring, autumn = ZONES[tz]
    for day, hours in ((spring, 23), (autumn, 25)):
        zone = ZoneInfo(tz)
        a = int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())
        nxt = day + timedelta(days=1)
        b = int(datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone).timestamp())
        assert ref.working_minutes(a, b) == hours * 60
