"""Reports show data as text: hostile strings in every user field, through Markdown and HTML.

The Markdown of each report is rendered with a real Markdown implementation
(Python-Markdown, as the documentation site does) and the resulting HTML is
parsed: no element, attribute or link may come from the data, and each string
must come back as the text of its table cell.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import markdown as python_markdown
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    Channel,
    Customer,
    FixedClock,
    Priority,
    ProblemCategory,
    Product,
    Purchase,
    ServiceDesk,
    SlaPolicy,
    WorkCalendar,
)
from aftersales.improvement import ImprovementAction, RootCause
from aftersales.reports import daily, escape_markdown, monthly, weekly

TZ = "Asia/Shanghai"
CAL = WorkCalendar.always(TZ)

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "[x](javascript:alert(1))",
    "![t](http://evil/x.png)",
    "<javascript:alert(1)>",
    "<http://evil.example/>",
    "javascript:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "www.evil.example/phish",
    "[ref]: http://evil.example",
    "[ref][1] and [ref]",
    "| a | b |",
    "# heading",
    "\n---\n",
    "a\n===",
    "`code` and ```fence```",
    "*em* _em_ **strong** __strong__ ~~gone~~",
    "> quote",
    "- item",
    "+ item",
    "1. first",
    "2) second",
    "<!-- comment -->",
    "{: onclick=alert(1) }",
    "!!! note",
    "\\<b>bold</b>",
    "&lt;b&gt;entity&lt;/b&gt; &amp;",
    "line one\r\n    code block",
    "    indented code",
]

#: The only elements a report's Markdown may produce: its own structure.
STRUCTURE = {"h1", "h2", "p", "table", "thead", "tbody", "tr", "th", "td"}

#: Python-Markdown as the documentation site configures it (mkdocs.yml), and bare with tables.
CONFIGS = [
    ["tables"],
    [
        "admonition",
        "attr_list",
        "def_list",
        "tables",
        "abbr",
        "toc",
        "pymdownx.superfences",
        "pymdownx.inlinehilite",
    ],
]


def at(month: int, day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=TZ)


def on_one_line(text: str) -> str:
    """What a reader sees of ``text`` in Markdown: each line break is a space (the spec)."""
    return re.sub(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]", " ", text)


class Page(HTMLParser):
    """Elements with their attributes, every table as rows of cell texts, and all text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None
        self.text: list[str] = []
        self.heading: list[str] | None = None
        self.headings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag in ("h1", "h2"):
            self.heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell))
            self.cell = None
        elif tag in ("h1", "h2") and self.heading is not None:
            self.headings.append("".join(self.heading))
            self.heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)
        if self.heading is not None:
            self.heading.append(data)

    def column(self, header: str) -> list[str]:
        """The cells under ``header`` in every table that has it."""
        values = []
        for table in self.tables:
            if table and header in table[0]:
                index = table[0].index(header)
                values += [row[index] for row in table[1:]]
        return values


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def hostile_desk(value: str) -> tuple[ServiceDesk, list[RootCause], list[ImprovementAction]]:
    """Five tickets whose every user field is ``value``, a root cause and an action likewise."""
    desk = ServiceDesk(clock=FixedClock(at(12, 31, 23)))  # every command is back-dated
    customer = Customer(id="C1", name=value)
    purchase = Purchase(product=Product(model=value), purchased_on=date(2026, 1, 5))
    for index in range(1, 6):
        desk.open_ticket(
            ticket_id=f"T{index}",
            customer=customer,
            channel=Channel.PHONE,
            category=ProblemCategory.PRODUCT_QUALITY,
            description=value,
            occurred_at=at(10, 12, 8),
            by=value,
            priority=Priority.IMPORTANT,
            purchase=purchase,
            customer_words=value,
            at=at(10, 12, 9, index),
        )
    desk.acknowledge("T1", by=value, at=at(10, 12, 10))
    desk.resolve_on_first_contact("T1", by=value, answer=value, at=at(10, 12, 11))
    desk.record_visit("T1", by=value, resolved=True, score=1, comment=value, at=at(10, 13, 9))
    cause = RootCause(
        id="RC-1",
        summary=value,
        category="hardware_fault",
        department=value,
        identified_at=at(10, 14, 9),
        identified_by=value,
        ticket_ids=("T1", "T2"),
    )
    action = ImprovementAction.plan(
        id="A1",
        problem=value,
        cause_id="RC-1",
        category="product_quality",
        type="long_term_prevention",
        title=value,
        owner=value,
        acceptance=value,
        at=at(10, 12, 9),
        by=value,
        due_at=at(10, 14, 18),  # overdue by the end of the week: listed as lagging
    )
    return desk, [cause], [action]


def reports(value: str) -> list[tuple[object, dict[str, int], int]]:
    """The three reports of the hostile desk, with the columns (English headers) that hold
    ``value`` alone and how many cells each must have at least, and how many major events
    (batch complaint, failure rate) name it."""
    desk, causes, actions = hostile_desk(value)
    policy = SlaPolicy.default(CAL)
    return [
        (
            daily(desk.store, "2026-10-12", calendar=CAL, policy=policy),
            {"Customer": 5, "Problem": 5},
            0,
        ),
        (
            weekly(desk.store, "2026-W42", calendar=CAL, policy=policy, actions=actions),
            {"Action": 1, "Owner": 1},
            1,
        ),
        (
            monthly(
                desk.store,
                "2026-10",
                calendar=CAL,
                policy=policy,
                installed_base={value: 10},
                actions=actions,
                root_causes=causes,
            ),
            {
                "Customer": 1,
                "Customer's words": 1,
                "Department": 1,
                "Root cause": 1,
                "Action": 1,
                "Owner": 1,
                "Product": 1,
                "Agent": 1,
            },
            2,
        ),
    ]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("extensions", CONFIGS, ids=["tables", "docs-site"])
def test_markdown_reports_render_hostile_data_as_text(value: str, extensions: list[str]) -> None:
    seen = on_one_line(value)
    for report, columns, events in reports(value):
        for lang in ("en", "zh"):
            page = python_markdown.markdown(report.to_markdown(lang=lang), extensions=extensions)  # type: ignore[attr-defined]
            parsed = parse(page)
            tags = {tag for tag, _ in parsed.elements}
            assert tags <= STRUCTURE, (value, tags - STRUCTURE)
            for opening in ("<script", "<img", "<iframe"):
                assert opening not in page
            for tag, attributes in parsed.elements:
                names = {name for name, _ in attributes}
                assert names <= ({"id"} if tag in ("h1", "h2") else set()), (tag, names)
            if lang == "en":
                for header, count in columns.items():
                    cells = parsed.column(header)
                    assert cells.count(seen) >= count, (header, cells)
                flagged = parsed.column("Customer / Product")
                assert len(flagged) == events
                assert all(seen in cell for cell in flagged)


@pytest.mark.parametrize("value", HOSTILE)
def test_html_reports_stay_clean_and_show_hostile_data_verbatim(value: str) -> None:
    for report, columns, events in reports(value):
        for lang in ("en", "zh"):
            page = report.to_html(lang=lang)  # type: ignore[attr-defined]
            parsed = parse(page)
            tags = {tag for tag, _ in parsed.elements}
            assert not tags & {"script", "img", "iframe", "object", "embed", "a", "link"}
            for _, attributes in parsed.elements:
                for name, content in attributes:
                    assert not name.startswith("on"), name
                    assert "javascript:" not in (content or "").lower()
            if lang == "en":
                for header, count in columns.items():
                    assert parsed.column(header).count(value) >= count, header
                flagged = parsed.column("Customer / Product")
                assert len(flagged) == events
                assert all(value in cell for cell in flagged)


# -- the escaping rule itself, for any text ---------------------------------------------------

_SYNTAX = [
    *"<>&|~`*_{}[]()#!+-=.:;\\/@\"' \t\n\r0123456789aw",
    "javascript:",
    "http://",
    "www.",
    "data:",
    "```",
    "---",
    "1. ",
    "<!--",
    "-->",
    "&amp;",
    "&#32;",
    "{: ",
    "!!! ",
    "    ",
    "\r\n",
    "\u2028",
    "\x02",
    "\x03",
]
texts = st.one_of(st.text(), st.lists(st.sampled_from(_SYNTAX), max_size=30).map("".join))


def visible(text: str) -> str:
    """The spec: line breaks become spaces; other control characters but the tab are dropped."""
    return re.sub(r"[\x00-\x08\x0e-\x1b\x1f\x7f]", "", on_one_line(text))


@pytest.mark.parametrize("extensions", CONFIGS, ids=["tables", "docs-site"])
@given(text=texts)
def test_an_escaped_paragraph_renders_as_exactly_its_text(extensions: list[str], text: str) -> None:
    page = python_markdown.markdown(escape_markdown(text), extensions=extensions)  # type: ignore[attr-defined]
    parsed = parse(page)
    expected = visible(text)
    if expected == "":
        assert page == ""
        return
    assert [tag for tag, _ in parsed.elements] == ["p"]
    assert "".join(parsed.text) == expected


@pytest.mark.parametrize("extensions", CONFIGS, ids=["tables", "docs-site"])
@given(text=texts, heading=texts)
def test_an_escaped_cell_and_heading_render_as_exactly_their_text(
    extensions: list[str], text: str, heading: str
) -> None:
    source = "\n".join(
        [
            "## " + escape_markdown(heading),
            "",
            "| h | " + escape_markdown(text, block=False) + " |",
            "|---|---|",
            "| a | " + escape_markdown(text, block=False) + " |",
            "",
        ]
    )
    parsed = parse(python_markdown.markdown(source, extensions=extensions))  # type: ignore[attr-defined]
    assert [tag for tag, _ in parsed.elements] == [
        "h2",
        "table",
        "thead",
        "tr",
        "th",
        "th",
        "tbody",
        "tr",
        "td",
        "td",
    ]
    assert parsed.tables == [[["h", visible(text)], ["a", visible(text)]]]
    assert parsed.headings == [visible(heading)]
