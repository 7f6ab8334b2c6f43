"""Holidays from iCalendar feeds: several years, recurrences, time zones, refusals, coverage.

Every schedule for a year after 2026 here is FICTIONAL (made up for the tests).
The expected dates are worked out by hand from the calendar (weekdays from
2031-01-01, a Wednesday: 2031-01-18 and 2031-09-27 are Saturdays, 2032-09-26
a Sunday, 2033-01-01 and 2033-04-30 Saturdays); the real 2026 feed is
checked against the ``holidays`` package, an independent source.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.calendar import WorkCalendar, load_schedule, schedules_from_ics
from aftersales.errors import CalendarCoverageError, ScheduleError
from tests.helpers import examples

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "calendars"
SH = "Asia/Shanghai"


def span(first: date, last: date) -> list[date]:
    """The dates from ``first`` to ``last``, both included."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# -- a multi-year feed ------------------------------------------------------------------------

#: FICTIONAL: 2031–2033, CRLF with folded lines, a yearly RRULE with an EXDATE, DURATION,
#: a date-time event in Asia/Shanghai, DTSTART without VALUE=DATE, a cancelled event.
FEED = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//aftersales tests//FICTIONAL feed//ZH\r\n"
    "X-WR-CALNAME:虚构的节假日（FICTIONAL\r\n"
    "  feed for the tests）\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:new-year@tests.example\r\n"
    "DTSTART;VALUE=DATE:20310101\r\n"
    "DURATION:P1D\r\n"
    "RRULE:FREQ=YEARLY\r\n"
    "EXDATE;VALUE=DATE:20320101\r\n"
    "SUMMARY:元旦\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:new-year-2032@tests.example\r\n"
    "DTSTART;VALUE=DATE:20320102\r\n"
    "SUMMARY:元旦\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:spring-2031@tests.example\r\n"
    "DTSTART;VALUE=DATE:20310122\r\n"
    "DTEND;VALUE=DATE:20310129\r\n"
    "SUMMARY:春\r\n"
    " 节\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:spring-work-2031@tests.example\r\n"
    "DTSTART;VALUE=DATE:20310118\r\n"
    "SUMMARY:春节补班\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:national-2031@tests.example\r\n"
    "DTSTART;TZID=Asia/Shanghai:20311001T000000\r\n"
    "DTEND;TZID=Asia/Shanghai:20311008T000000\r\n"
    "SUMMARY:国庆节\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:national-work-2031@tests.example\r\n"
    "DTSTART;VALUE=DATE:20310927\r\n"
    "SUMMARY:国庆节调休\r\n"
    "CATEGORIES:HOLIDAY,WORKDAY\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:national-2032@tests.example\r\n"
    "DTSTART;VALUE=DATE:20321001\r\n"
    "DURATION:P3D\r\n"
    "SUMMARY:国庆节\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:national-work-2032@tests.example\r\n"
    "DTSTART;VALUE=DATE:20320926\r\n"
    "SUMMARY:国庆节上班\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:labour-2033@tests.example\r\n"
    "DTSTART:20330501\r\n"
    "DTEND:20330504\r\n"
    "SUMMARY:劳动节\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:labour-work-2033@tests.example\r\n"
    "DTSTART;VALUE=DATE:20330430\r\n"
    "SUMMARY:劳动节补班\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:withdrawn@tests.example\r\n"
    "DTSTART;VALUE=DATE:20320305\r\n"
    "SUMMARY:撤销的假日\r\n"
    "STATUS:CANCELLED\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)

EXPECTED_OFF = {
    2031: {
        date(2031, 1, 1): "元旦",
        **dict.fromkeys(span(date(2031, 1, 22), date(2031, 1, 28)), "春节"),
        **dict.fromkeys(span(date(2031, 10, 1), date(2031, 10, 7)), "国庆节"),
    },
    2032: {
        date(2032, 1, 2): "元旦",  # 1 January excluded (EXDATE), moved to the 2nd
        **dict.fromkeys(span(date(2032, 10, 1), date(2032, 10, 3)), "国庆节"),
    },
    2033: {
        date(2033, 1, 1): "元旦",
        **dict.fromkeys(span(date(2033, 5, 1), date(2033, 5, 3)), "劳动节"),
    },
}
EXPECTED_WORK = {
    2031: {date(2031, 1, 18): "春节补班", date(2031, 9, 27): "国庆节调休"},
    2032: {date(2032, 9, 26): "国庆节上班"},
    2033: {date(2033, 4, 30): "劳动节补班"},
}


def test_a_multi_year_feed_gives_one_schedule_per_year_with_the_hand_worked_dates() -> None:
    schedules = schedules_from_ics(FEED)
    assert [s.year for s in schedules] == [2031, 2032, 2033]
    for schedule in schedules:
        assert dict(schedule.days_off) == EXPECTED_OFF[schedule.year], schedule.year
        assert dict(schedule.working_days) == EXPECTED_WORK[schedule.year], schedule.year
        assert schedule.country == "CN"
        assert schedule.source == "虚构的节假日（FICTIONAL feed for the tests）"


def test_the_feed_reads_the_same_from_a_file_and_from_fetched_bytes(tmp_path: Path) -> None:
    path = tmp_path / "feed.ics"
    path.write_bytes(FEED.encode("utf-8"))
    from_text = schedules_from_ics(FEED)
    assert schedules_from_ics(path) == from_text
    assert schedules_from_ics(str(path)) == from_text
    assert schedules_from_ics(b"\xef\xbb\xbf" + FEED.encode("utf-8")) == from_text  # with a BOM
    with pytest.raises(ScheduleError, match=r"the content: byte 0 is not UTF-8; accepted"):
        schedules_from_ics(FEED.encode("utf-16"))


def test_asking_for_years_expands_the_rule_in_them_and_leaves_out_the_others() -> None:
    (only_2032,) = schedules_from_ics(FEED, years=[2032])
    assert dict(only_2032.days_off) == EXPECTED_OFF[2032]
    # 2034 lists no event of its own: the yearly rule alone gives its New Year's Day
    by_year = {s.year: s for s in schedules_from_ics(FEED, years=range(2033, 2035))}
    assert sorted(by_year) == [2033, 2034]
    assert dict(by_year[2034].days_off) == {date(2034, 1, 1): "元旦"}
    assert dict(by_year[2033].days_off) == EXPECTED_OFF[2033]


def test_a_date_time_day_off_is_read_in_its_own_zone() -> None:
    def one(lines: str, head: str = "") -> dict[date, str]:
        (schedule,) = schedules_from_ics(
            f"BEGIN:VCALENDAR\r\n{head}BEGIN:VEVENT\r\nSUMMARY:假日\r\n{lines}"
            "END:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        return dict(schedule.days_off)

    # 23 hours on the day Berlin moves its clocks on (Sunday 2031-03-30): still one whole day
    assert one(
        "DTSTART;TZID=Europe/Berlin:20310330T000000\r\nDTEND;TZID=Europe/Berlin:20310331T000000\r\n"
    ) == {date(2031, 3, 30): "假日"}
    # the end given in UTC is midnight in Berlin (UTC+2 from that day)
    assert one("DTSTART;TZID=Europe/Berlin:20310330T000000\r\nDTEND:20310330T220000Z\r\n") == {
        date(2031, 3, 30): "假日"
    }
    # a floating date-time is read as it is written
    assert one("DTSTART:20311001T000000\r\nDTEND:20311003T000000\r\n") == {
        date(2031, 10, 1): "假日",
        date(2031, 10, 2): "假日",
    }
    # Google's exports: UTC times in a calendar whose X-WR-TIMEZONE is Asia/Shanghai
    utc = "DTSTART:20310930T160000Z\r\nDTEND:20311001T160000Z\r\n"
    assert one(utc, head="X-WR-TIMEZONE:Asia/Shanghai\r\n") == {date(2031, 10, 1): "假日"}
    with pytest.raises(ScheduleError, match=r"2031-09-30T16:00:00\+00:00 – .* not whole days"):
        one(utc)  # in its own zone (UTC) it starts at 16:00


# -- a Google-style "Holidays in China" feed (the real 2026 notice) ----------------------------

_GOOGLE_HEAD = (
    "BEGIN:VCALENDAR\r\n"
    "PRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
    "VERSION:2.0\r\n"
    "CALSCALE:GREGORIAN\r\n"
    "METHOD:PUBLISH\r\n"
    "X-WR-CALNAME:中国的节假日\r\n"
    "X-WR-TIMEZONE:UTC\r\n"
    "X-WR-CALDESC:中国的节假日和纪念日\r\n"
)


def _google_event(first: str, stop: str, summary: str, description: str = "公众假期") -> str:
    return (
        "BEGIN:VEVENT\r\n"
        f"DTSTART;VALUE=DATE:{first}\r\n"
        f"DTEND;VALUE=DATE:{stop}\r\n"
        "DTSTAMP:20251201T000000Z\r\n"
        f"UID:{first}_{stop}_cn@google.com\r\n"
        "CLASS:PUBLIC\r\n"
        "CREATED:20251105T000000Z\r\n"
        f"DESCRIPTION:{description}\r\n"
        "LAST-MODIFIED:20251105T000000Z\r\n"
        "SEQUENCE:0\r\n"
        "STATUS:CONFIRMED\r\n"
        f"SUMMARY:{summary}\r\n"
        "TRANSP:TRANSPARENT\r\n"
        "END:VEVENT\r\n"
    )


GOOGLE_2026 = (
    _GOOGLE_HEAD
    + _google_event("20260101", "20260104", "元旦")
    + _google_event("20260104", "20260105", "元旦调休（上班）", "补班")
    + _google_event("20260214", "20260215", "春节补班", "补班")
    + _google_event("20260215", "20260224", "春节假期")
    + _google_event("20260216", "20260217", "除夕")  # inside the span above
    + _google_event("20260217", "20260218", "春节")
    + _google_event("20260228", "20260301", "春节补班", "补班")
    + _google_event("20260404", "20260407", "清明节")
    + _google_event("20260501", "20260506", "劳动节")
    + _google_event("20260509", "20260510", "劳动节补班", "补班")
    + _google_event("20260619", "20260622", "端午节")
    + _google_event("20260920", "20260921", "国庆节补班", "补班")
    + _google_event("20260925", "20260928", "中秋节")
    + _google_event("20261001", "20261008", "国庆节")
    + _google_event("20261010", "20261011", "国庆节补班", "补班")
    + "END:VCALENDAR\r\n"
)


def test_a_google_style_feed_of_2026_with_its_makeup_working_days() -> None:
    (schedule,) = schedules_from_ics(GOOGLE_2026)
    assert (schedule.year, schedule.country, schedule.source) == (2026, "CN", "中国的节假日")
    assert dict(schedule.working_days) == {
        date(2026, 1, 4): "元旦调休（上班）",
        date(2026, 2, 14): "春节补班",
        date(2026, 2, 28): "春节补班",
        date(2026, 5, 9): "劳动节补班",
        date(2026, 9, 20): "国庆节补班",
        date(2026, 10, 10): "国庆节补班",
    }
    off = dict(schedule.days_off)
    assert off[date(2026, 2, 16)] == "春节假期 / 除夕"  # one date in two day-off events
    assert off[date(2026, 2, 17)] == "春节假期 / 春节"
    assert sorted(off) == [
        *span(date(2026, 1, 1), date(2026, 1, 3)),
        *span(date(2026, 2, 15), date(2026, 2, 23)),
        *span(date(2026, 4, 4), date(2026, 4, 6)),
        *span(date(2026, 5, 1), date(2026, 5, 5)),
        *span(date(2026, 6, 19), date(2026, 6, 21)),
        *span(date(2026, 9, 25), date(2026, 9, 27)),
        *span(date(2026, 10, 1), date(2026, 10, 7)),
    ]
    # the holidays package, an independent source, has the same days: accepted without complaint
    calendar = WorkCalendar.china(schedules=[schedule])
    assert calendar.is_working_day(date(2026, 2, 14))
    assert not calendar.is_working_day(date(2026, 2, 16))
    # and it is the shipped example's year, day for day
    shipped = load_schedule(EXAMPLES / "cn-2026.toml")
    assert set(schedule.days_off) == set(shipped.days_off)
    assert set(schedule.working_days) == set(shipped.working_days)


def test_other_words_for_a_working_day() -> None:
    text = GOOGLE_2026.replace("春节补班", "Spring Festival makeup work day")
    with pytest.raises(ScheduleError, match="contradicts the holidays package"):
        WorkCalendar.china(schedules=schedules_from_ics(text))  # read as days off
    (schedule,) = schedules_from_ics(text, working_day_words=("补班", "上班", "makeup work day"))
    assert schedule.working_days[date(2026, 2, 28)] == "Spring Festival makeup work day"


def test_the_shipped_example_reads_the_same_as_a_feed() -> None:
    assert schedules_from_ics(EXAMPLES / "cn-2026.ics") == (
        load_schedule(EXAMPLES / "cn-2026.ics"),
    )


# -- refusals -------------------------------------------------------------------------------

_HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
_END = "END:VCALENDAR\r\n"
_OK = "BEGIN:VEVENT\r\nSUMMARY:元旦\r\nDTSTART;VALUE=DATE:20310101\r\nEND:VEVENT\r\n"


def _event(*lines: str) -> str:
    return "BEGIN:VEVENT\r\n" + "".join(f"{line}\r\n" for line in lines) + "END:VEVENT\r\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(
            _HEAD
            + _event(
                "SUMMARY:半天假",
                "DTSTART;TZID=Asia/Shanghai:20311001T130000",
                "DTEND;TZID=Asia/Shanghai:20311002T000000",
            )
            + _END,
            r"VEVENT #1 '半天假' \(DTSTART 20311001T130000\): 2031-10-01T13:00:00\+08:00 – "
            r"2031-10-02T00:00:00\+08:00 is not whole days \(a calendar of days off cannot hold"
            r" part of a day\); accepted: an all-day event",
            id="half-day",
        ),
        pytest.param(
            _HEAD + _event("SUMMARY:半天", "DTSTART;VALUE=DATE:20311001", "DURATION:PT12H") + _END,
            r"VEVENT #1 '半天' \(DTSTART 20311001\): When DTSTART is a date, DURATION must be of"
            r" days or weeks.*; accepted: an all-day event",
            id="hours-on-a-date",
        ),
        pytest.param(
            _HEAD + _event("UID:nameless@tests.example", "SUMMARY:没有开始") + _OK + _END,
            r"VEVENT #1 '没有开始': no DTSTART; accepted: an all-day event",
            id="no-dtstart",
        ),
        pytest.param(
            _HEAD + _event("UID:u-1@tests.example", "DTSTART;VALUE=DATE:20310231") + _END,
            r"VEVENT #1 UID 'u-1@tests.example' \(DTSTART 20310231\): DTSTART cannot be read"
            r" \(.*\); accepted: an all-day event",
            id="no-such-date",
        ),
        pytest.param(
            _HEAD + "BEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART;VALUE=DATE:20311001\r\n" + _END,
            r"^the text: not an iCalendar text \(.*\); accepted: one iCalendar \(RFC 5545\)",
            id="unclosed",
        ),
        pytest.param(
            "year = 2031\n[days_off]\n",
            r"^the text: not an iCalendar text \(.*\); accepted:",
            id="not-icalendar",
        ),
        pytest.param(
            "BEGIN:VTODO\r\nSUMMARY:x\r\nEND:VTODO\r\n",
            r"a VTODO is not a calendar; accepted: one iCalendar",
            id="not-a-calendar",
        ),
        pytest.param(
            _HEAD
            + _event("SUMMARY:国庆节", "DTSTART;VALUE=DATE:20311004", "DURATION:P2D")
            + _event("SUMMARY:国庆节补班", "DTSTART;VALUE=DATE:20311005")
            + _END,
            r"VEVENT #2 '国庆节补班' \(DTSTART 20311005\): 2031-10-05 is a day off in VEVENT #1"
            r" '国庆节' \(DTSTART 20311004\); accepted: a date either off or working",
            id="off-and-working",
        ),
        pytest.param(
            _HEAD + _event("SUMMARY:x", "DTSTART;VALUE=DATE:20311005", "DURATION:-P1D") + _END,
            r"VEVENT #1 'x' \(DTSTART 20311005\): DURATION is not after DTSTART 2031-10-05",
            id="negative-duration",
        ),
        pytest.param(
            _HEAD
            + _event("SUMMARY:x", "DTSTART;VALUE=DATE:20310101", "DTEND;VALUE=DATE:20330101")
            + _END,
            r"VEVENT #1 'x' \(DTSTART 20310101\): 731 days long; accepted: at most 366 days",
            id="two-years-long",
        ),
        pytest.param(
            _HEAD + "X-AFTERSALES-YEAR:MMXXXI\r\n" + _OK + _END,
            r"X-AFTERSALES-YEAR: 'MMXXXI' is not a year; accepted: an integer 1900–2399",
            id="declared-year",
        ),
        pytest.param(
            _HEAD + "CALSCALE:CHINESE\r\n" + _OK + _END,
            r"CALSCALE: 'CHINESE'; accepted: GREGORIAN",
            id="calendar-scale",
        ),
        pytest.param(
            _HEAD + "X-WR-TIMEZONE:Mars/Olympus\r\n" + _OK + _END,
            r"X-WR-TIMEZONE: 'Mars/Olympus' cannot be applied \(.*\); accepted: one IANA time",
            id="unknown-zone",
        ),
        pytest.param(
            _HEAD + _event("SUMMARY:x", "DTSTART:20310105", "RRULE:UNTIL=20330101") + _OK + _END,
            r"VEVENT #1 'x' \(DTSTART 20310105\): RRULE without FREQ; accepted: FREQ=DAILY",
            id="rule-without-frequency",
        ),
        pytest.param(
            _HEAD
            + _event("SUMMARY:x", "DTSTART:20310105", "RRULE:FREQ=YEARLY", "RDATE:P1D")
            + _OK
            + _END,
            r"VEVENT #1 'x' \(DTSTART 20310105\): its recurrence cannot be expanded \(.*\);"
            r" accepted: RRULE, RDATE and EXDATE as RFC 5545 defines them",
            id="unusable-recurrence",
        ),
        pytest.param(_HEAD + _END, r"events: none; accepted: all-day VEVENTs", id="no-event"),
        pytest.param(
            _HEAD
            + _event("SUMMARY:撤销", "DTSTART;VALUE=DATE:20310101", "STATUS:CANCELLED")
            + _END,
            r"events: none; accepted: all-day VEVENTs",
            id="only-cancelled",
        ),
    ],
)
def test_a_feed_is_refused_naming_the_event_and_what_is_accepted(text: str, problem: str) -> None:
    with pytest.raises(ScheduleError, match=problem):
        schedules_from_ics(text)


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"years": 2031}, r"years: 2031 is not a list of years; accepted: None or a non-empty"),
        ({"years": []}, r"years: is empty; accepted:"),
        ({"years": [2031, "2032"]}, r"years: '2032' is not a year; accepted:"),
        ({"years": [1899]}, r"years: 1899 is not a year; accepted: .*1900–2399"),
        ({"working_day_words": "补班"}, r"working_day_words: '补班' is not a list; accepted"),
        ({"working_day_words": ["补班", " "]}, r"working_day_words: ' ' is not a word"),
        ({"country": 86}, r"country: 86 is not a country code; accepted: None"),
        ({"country": "de"}, r"country: 'de' is not a country code; accepted: two capital"),
    ],
)
def test_bad_arguments_are_refused(arguments: dict[str, object], problem: str) -> None:
    with pytest.raises(ScheduleError, match=problem):
        schedules_from_ics(_HEAD + _OK + _END, **arguments)  # type: ignore[arg-type]


def test_a_year_asked_for_without_a_day_off_is_refused_naming_it() -> None:
    with pytest.raises(ScheduleError, match=r"2034 days_off: is empty; accepted: at least one"):
        schedules_from_ics(_HEAD + _OK + _END, years=[2031, 2034])


def test_the_country_comes_from_the_feed_or_the_argument_and_they_must_agree() -> None:
    head = _HEAD + "X-AFTERSALES-COUNTRY:DE\r\n"
    assert schedules_from_ics(head + _OK + _END)[0].country == "DE"
    assert schedules_from_ics(_HEAD + _OK + _END, country="DE")[0].country == "DE"
    with pytest.raises(ScheduleError, match=r"country: 'CN', but the feed says .*:DE; accepted"):
        schedules_from_ics(head + _OK + _END, country="CN")


@pytest.mark.parametrize("source", [123, None, "feed\x00.ics", ["BEGIN:VCALENDAR"]])
def test_what_is_no_feed_is_refused(source: object) -> None:
    with pytest.raises(ScheduleError, match=r"is neither a path nor a schedule's text; accepted:"):
        schedules_from_ics(source)  # type: ignore[arg-type]


def test_without_the_ical_extra_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "recurring_ical_events", None)  # import fails
    with pytest.raises(ScheduleError, match=r"accepted: pip install 'aftersales\[ical\]'"):
        schedules_from_ics(FEED)
    with pytest.raises(ScheduleError, match=r"accepted: pip install 'aftersales\[ical\]'"):
        load_schedule(EXAMPLES / "cn-2026.ics")
    assert load_schedule(EXAMPLES / "cn-2026.toml").year == 2026  # TOML needs no extra


# -- for all dates ---------------------------------------------------------------------------

_YEARS = (2031, 2034)


def _written(day: date, form: int) -> list[str]:
    """One all-day event of ``day`` in one of the four forms a feed may use."""
    after = day + timedelta(days=1)
    starts = {
        0: [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{after:%Y%m%d}"],
        1: [f"DTSTART:{day:%Y%m%d}", "DURATION:P1D"],
        2: [f"DTSTART;VALUE=DATE:{day:%Y%m%d}"],
        3: [
            f"DTSTART;TZID=Asia/Shanghai:{day:%Y%m%d}T000000",
            f"DTEND;TZID=Asia/Shanghai:{after:%Y%m%d}T000000",
        ],
    }
    return starts[form]


_DAYS = st.dates(date(_YEARS[0], 1, 1), date(_YEARS[1], 12, 31))


@settings(max_examples=60, deadline=None)
@given(
    off=st.dictionaries(_DAYS, st.integers(0, 3), min_size=1, max_size=30),
    work=st.dictionaries(_DAYS.filter(lambda d: d.weekday() >= 5), st.integers(0, 3), max_size=6),
    order=st.randoms(use_true_random=False),
)
def test_any_dates_written_as_events_come_back_split_by_year(
    off: dict[date, int], work: dict[date, int], order: object
) -> None:
    years_off = {d.year for d in off}
    work = {d: f for d, f in work.items() if d not in off and d.year in years_off}
    events = [_event("SUMMARY:假日", *_written(d, f)) for d, f in off.items()]
    events += [_event("SUMMARY:补班", *_written(d, f)) for d, f in work.items()]
    order.shuffle(events)  # type: ignore[attr-defined]
    schedules = schedules_from_ics(_HEAD + "".join(events) + _END)
    assert [s.year for s in schedules] == sorted(years_off)
    for schedule in schedules:
        assert set(schedule.days_off) == {d for d in off if d.year == schedule.year}
        assert set(schedule.working_days) == {d for d in work if d.year == schedule.year}


@settings(max_examples=40, deadline=None)
@given(
    off=st.sets(_DAYS, min_size=1, max_size=20),
    asked=st.sets(st.integers(*_YEARS), min_size=1),
)
def test_asking_for_years_keeps_exactly_their_dates(off: set[date], asked: set[int]) -> None:
    events = "".join(_event("SUMMARY:假日", f"DTSTART;VALUE=DATE:{d:%Y%m%d}") for d in off)
    if not asked <= {d.year for d in off}:
        with pytest.raises(ScheduleError, match="days_off: is empty"):
            schedules_from_ics(_HEAD + events + _END, years=asked)
        return
    schedules = schedules_from_ics(_HEAD + events + _END, years=asked)
    assert [s.year for s in schedules] == sorted(asked)
    assert {d for s in schedules for d in s.days_off} == {d for d in off if d.year in asked}


_PIECES = (
    "DTSTART:",
    "DTEND;VALUE=DATE:",
    "DURATION:",
    "RRULE:",
    "EXDATE:",
    "RDATE;VALUE=PERIOD:",
    "RECURRENCE-ID:",
    "CATEGORIES:",
    "X-WR-TIMEZONE:Mars/Olympus\r\n",
    "TZID=",
    ";VALUE=DATE",
    "T000000",
    "Z",
    "PT1H",
    "-P1D",
    "FREQ=YEARLY",
    "UNTIL=20310101",
    "BYMONTH=13",
    "Asia/Shanghai",
    "Mars/Olympus",
    "BEGIN:VEVENT",
    "END:VEVENT",
    "BEGIN:VTIMEZONE",
    "20310229",
    "99999999",
    "\\",
    ",",
    ";",
    ":",
)


@settings(max_examples=examples(2.0), deadline=None)
@given(
    feed=st.sampled_from([FEED, GOOGLE_2026]),
    edits=st.lists(
        st.tuples(st.integers(0, 2), st.floats(0, 1), st.floats(0, 1), st.sampled_from(_PIECES)),
        min_size=1,
        max_size=4,
    ),
)
def test_a_damaged_feed_gives_schedules_or_a_schedule_error_never_another_error(
    feed: str, edits: list[tuple[int, float, float, str]]
) -> None:
    lines = feed.split("\r\n")
    for operation, where, at, piece in edits:
        k = min(int(where * len(lines)), len(lines) - 1)
        if operation == 0:
            del lines[k]
        elif operation == 1:
            lines.insert(k, piece + piece)
        else:
            cut = int(at * len(lines[k]))
            lines[k] = lines[k][:cut] + piece + lines[k][cut:]
        if not lines:
            break
    refused = ""
    try:
        schedules = schedules_from_ics("\r\n".join(lines))
    except ScheduleError as error:  # any other error fails the test
        refused = str(error)
    else:
        assert all(isinstance(s.year, int) and s.days_off for s in schedules)
    assert not refused or "accepted" in refused


# -- coverage --------------------------------------------------------------------------------


def test_a_calendar_from_the_feed_covers_its_years_and_no_others() -> None:
    calendar = WorkCalendar.china(schedules=schedules_from_ics(FEED))
    assert calendar.day_off_reason(date(2031, 10, 2)) == "国庆节"
    assert not calendar.is_working_day(date(2032, 1, 2))
    assert calendar.is_working_day(date(2032, 1, 1))  # the excluded New Year's Day works
    assert calendar.is_working_day(date(2031, 1, 18))  # an in-lieu Saturday (补班)
    assert calendar.is_working_day(date(2033, 4, 30))
    start = pendulum.datetime(2031, 9, 30, 17, tz=SH)
    assert calendar.add(start, pendulum.duration(hours=2)) == pendulum.datetime(
        2031, 10, 8, 10, tz=SH
    )
    # the package still answers for its own years
    assert calendar.day_off_reason(date(2026, 10, 1)) == "国庆节"
    # a year neither the feed nor the package covers is refused, not guessed
    for outside in (date(2030, 6, 3), date(2034, 1, 2)):
        with pytest.raises(
            CalendarCoverageError, match=f"no official calendar data for {outside.year}"
        ):
            calendar.is_working_day(outside)
    # unless declared complete: then its weekdays work
    declared = WorkCalendar.china(schedules=schedules_from_ics(FEED), complete_years=[2034])
    assert declared.is_working_day(date(2034, 1, 2))


def test_a_feed_contradicting_the_package_is_refused_as_a_toml_schedule_is() -> None:
    wrong = GOOGLE_2026.replace("DTSTART;VALUE=DATE:20261010", "DTSTART;VALUE=DATE:20261011")
    wrong = wrong.replace(
        "DTEND;VALUE=DATE:20261011\r\nDTSTAMP", "DTEND;VALUE=DATE:20261012\r\nDTSTAMP", 1
    )
    schedules = schedules_from_ics(wrong)
    with pytest.raises(ScheduleError, match=r"2026-10-10: the package has it working"):
        WorkCalendar.china(schedules=schedules)


# A German feed: the fixed holidays as yearly rules, the Easter-dependent ones by year
# (Easter Sunday 2026-04-05 and 2027-03-28).
GERMANY = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Feiertage Deutschland\r\n"
    + "".join(
        _event(f"SUMMARY:{name}", f"DTSTART;VALUE=DATE:2026{day}", "RRULE:FREQ=YEARLY")
        for name, day in (
            ("Neujahr", "0101"),
            ("Tag der Arbeit", "0501"),
            ("Tag der Deutschen Einheit", "1003"),
            ("1. Weihnachtstag", "1225"),
            ("2. Weihnachtstag", "1226"),
        )
    )
    + "".join(
        _event(f"SUMMARY:{name}", f"DTSTART;VALUE=DATE:{day}")
        for name, day in (
            ("Karfreitag", "20260403"),
            ("Ostermontag", "20260406"),
            ("Christi Himmelfahrt", "20260514"),
            ("Pfingstmontag", "20260525"),
            ("Karfreitag", "20270326"),
            ("Ostermontag", "20270329"),
            ("Christi Himmelfahrt", "20270506"),
            ("Pfingstmontag", "20270517"),
        )
    )
    + "END:VCALENDAR\r\n"
)


def test_a_feed_of_another_country_goes_to_for_country_with_the_same_rules() -> None:
    schedules = schedules_from_ics(GERMANY, country="DE")
    assert [(s.country, s.year, len(s.days_off)) for s in schedules] == [
        ("DE", 2026, 9),
        ("DE", 2027, 9),
    ]
    calendar = WorkCalendar.for_country("DE", tz="Europe/Berlin", schedules=schedules)
    assert calendar.day_off_reason(date(2027, 3, 29)) == "Ostermontag"
    assert calendar.is_working_day(date(2027, 3, 30))
    # a company's extra day off contradicts the package's data for Germany
    extra = GERMANY.replace(
        "END:VCALENDAR", _event("SUMMARY:Heiligabend", "DTSTART:20261224") + "END:VCALENDAR"
    )
    with pytest.raises(ScheduleError, match=r"2026-12-24: the package has it working"):
        WorkCalendar.for_country(
            "DE", tz="Europe/Berlin", schedules=schedules_from_ics(extra, country="DE")
        )


def test_a_feed_as_the_only_source_covers_exactly_its_years() -> None:
    """The recipe of docs/calendar-schedules.md for a company's own feed."""
    extra = GERMANY.replace(
        "END:VCALENDAR", _event("SUMMARY:Heiligabend", "DTSTART:20261224") + "END:VCALENDAR"
    )
    feed = schedules_from_ics(extra, country="DE")
    calendar = WorkCalendar(
        "Europe/Berlin",
        {day: [("09:00", "17:00")] for day in range(5)},
        holidays={d: name for s in feed for d, name in s.days_off.items()},
        workdays={d: name for s in feed for d, name in s.working_days.items()},
        covered_years=[s.year for s in feed],
    )
    assert calendar.day_off_reason(date(2026, 12, 24)) == "Heiligabend"
    assert calendar.is_working_day(date(2027, 12, 24))
    with pytest.raises(CalendarCoverageError, match="no official calendar data for 2028"):
        calendar.is_working_day(date(2028, 1, 3))


def test_load_schedule_still_reads_one_year_and_points_to_feeds_for_more() -> None:
    with pytest.raises(ScheduleError, match=r"dates in 2031, 2032, 2033; .*schedules_from_ics\(\)"):
        load_schedule(FEED)
    declared = FEED.replace("VERSION:2.0\r\n", "VERSION:2.0\r\nX-AFTERSALES-YEAR:2031\r\n")
    with pytest.raises(ScheduleError, match=r"days_off\[2032-01-02\]: 2032-01-02 is not in 2031"):
        load_schedule(declared)
    (only_2031,) = schedules_from_ics(FEED, years=[2031])
    assert dict(only_2031.days_off) == EXPECTED_OFF[2031]
