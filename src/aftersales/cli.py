"""The ``aftersales`` command line.

``aftersales demo`` plays realistic tickets through the service desk on the
embedded SQLite store, with the default SLA policy on the China calendar, and
prints each ticket's follow-up record, history and SLA clocks, in Chinese or
English; then it generates a quarter of tickets (progress on stderr), stores
them and writes the last month's report as Markdown and HTML.
``aftersales report daily|weekly|monthly`` reports on any SQLite store.

Example:
    >>> main(["demo", "--lang", "en", "--only", "T20261012-002", "--scale", "0"])  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
    aftersales demo: 6 tickets, 52 events, SQLite store .../aftersales.db, SLA read at 2026-10-19 09:00
    <BLANKLINE>
    T20261012-002  刘女士  wechat  usage_guidance  general  closed (closed)
      contact: 刘女士 186****2222 l********@example.com
      occurred: 2026-10-12 11:00  problem: 扫地机器人无法连接家庭 Wi-Fi,APP 提示配网失败
      2026-10-12 11:05  客服小刘      registered
      2026-10-12 11:14  客服小刘      resolved on first contact answer=指导客户切换到 2.4GHz 频段后重新配网,已连接成功
      2026-10-13 11:14  回访专员小周  return visit              resolved=yes; score=4; comment=讲解清楚; channel=Return-visit call
      SLA first response            met       0h09m / 4h00m  due 2026-10-12 16:35
      SLA resolution                met       0h09m / 42h55m  due 2026-10-19 18:00
      SLA return visit              met       7h30m / 27h46m  due 2026-10-15 18:00
    0
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs

from aftersales._version import __version__
from aftersales.calendar import WorkCalendar
from aftersales.demo import (
    DEMO_END,
    DEMO_START,
    INSTALLED_BASE,
    QUARTER_END,
    QUARTER_START,
    plan_quarter,
    play,
    quarter_improvements,
    run_scenarios,
)
from aftersales.desk import ServiceDesk
from aftersales.kpi.service import NpsResponse
from aftersales.model.events import TicketEvent
from aftersales.model.ticket import Ticket
from aftersales.reports import daily, monthly, weekly
from aftersales.reports.labels import SLA_METRIC_LABELS
from aftersales.sla import SlaPolicy, SlaReport
from aftersales.storage.memory import MemoryStore
from aftersales.storage.protocols import Save, TicketQuery
from aftersales.storage.sqlite import SQLiteStore
from aftersales.time import FixedClock

__all__ = ["main", "render_ticket"]

_COMMAND_LABELS = {
    "open_ticket": ("受理登记", "registered"),
    "acknowledge": ("首次响应", "acknowledged"),
    "resolve_on_first_contact": ("一线解决", "resolved on first contact"),
    "record_analysis": ("问题分析", "analysis"),
    "propose_solution": ("提出方案", "solution proposed"),
    "customer_agrees": ("客户同意", "customer agrees"),
    "customer_disputes": ("客户异议", "customer disputes"),
    "book_onsite_visit": ("预约上门", "on-site visit booked"),
    "record_progress": ("执行记录", "progress"),
    "report_new_problem": ("发现新问题", "new problem found"),
    "finish_execution": ("执行完成", "execution finished"),
    "record_visit": ("客户回访", "return visit"),
    "reopen": ("重新打开", "reopened"),
    "escalate": ("升级", "escalated"),
    "assign": ("转派", "assigned"),
    "change_priority": ("调整优先级", "priority changed"),
    "add_note": ("备注", "note"),
    "record_contact": ("联系客户", "contact"),
    "suggest_improvement": ("优化建议", "improvement suggested"),
    "cancel": ("取消", "cancelled"),
    "record_sla_warning": ("SLA预警", "SLA warning"),
    "record_sla_breach": ("SLA超时", "SLA breached"),
}

_METRIC_LABELS = SLA_METRIC_LABELS

_DETAIL_FIELDS = (
    "description",
    "note",
    "answer",
    "finding",
    "root_cause",
    "summary",
    "words",
    "change_request",
    "appointment_at",
    "engineer",
    "result",
    "resolved",
    "score",
    "comment",
    "reason",
    "level",
    "to",
    "assignee",
    "priority",
    "text",
    "channel",
    "metric",
)


def _minute(ticket_zone: str, moment: object) -> str:
    return moment.in_timezone(ticket_zone).format("YYYY-MM-DD HH:mm")  # type: ignore[attr-defined,no-any-return]


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (CJK characters take two)."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - columns)


def _value_text(value: object, lang: str) -> str:
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    label = getattr(value, "label", None)
    if callable(label):
        return str(label(lang))
    if hasattr(value, "in_timezone"):
        return _minute("Asia/Shanghai", value)
    return str(value)


def _event_line(event: TicketEvent, lang: str, zone: str) -> str:
    zh, en = _COMMAND_LABELS[event.command]
    names = {field.name for field in attrs.fields(type(event))}
    if event.command == "open_ticket":
        details = []
    else:
        details = [
            f"{name}={_value_text(getattr(event, name), lang)}"
            for name in _DETAIL_FIELDS
            if name in names and getattr(event, name) not in (None, "", ())
        ]
    steps = getattr(event, "steps", ())
    details += [f"step: {s.action} / {s.executor} / {_minute(zone, s.deadline)}" for s in steps]
    label = zh if lang == "zh" else en
    line = f"  {_minute(zone, event.at)}  {_pad(event.by, 14)}{_pad(label, 26)}" + "; ".join(
        details
    )
    return line.rstrip()


def render_sla(report: SlaReport, *, lang: str = "zh") -> list[str]:
    """One line per SLA clock cycle: state, used / target, due time (in the clock's zone).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> report = SlaPolicy.default(WorkCalendar.china()).evaluate(ticket, ticket.updated_at)
        >>> render_sla(report, lang="en")[0]
        '  SLA first response            met       0h05m / 0h30m  due 2024-05-10 15:15'
    """
    lines = []
    for result in report.results:
        metric = _METRIC_LABELS.get(result.metric, (result.metric, result.metric))
        name = metric[0] if lang == "zh" else metric[1]
        cycle = f" #{result.cycle + 1}" if result.cycle else ""
        due = result.due_at.in_timezone(result.calendar.tz).format("YYYY-MM-DD HH:mm")
        used = f"{_hm(result.elapsed)} / {_hm(result.budget)}"
        lines.append(
            f"  SLA {_pad(name + cycle, 26)}{_pad(result.state.label(lang), 10)}{used}  due {due}"
        )
    return lines


def _hm(value: timedelta) -> str:
    total = int(value.total_seconds()) // 60
    return f"{total // 60}h{total % 60:02d}m"


def render_ticket(ticket: Ticket, *, lang: str = "zh", zone: str = "Asia/Shanghai") -> str:
    """The follow-up record of ``ticket`` and its history, as plain text (contacts masked).

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> print(render_ticket(sample_ticket(), lang="en").splitlines()[0])
        T202405001  XX科技有限公司  phone  product_quality  urgent  closed (closed)
    """
    status = f"{ticket.status.label(lang)} ({ticket.close_status.label(lang)})"
    if lang == "en":
        head = (
            f"{ticket.id}  {ticket.customer_name}  {ticket.channel.code}  "
            f"{ticket.category.code}  {ticket.priority.value}  {status}"
        )
    else:
        head = (
            f"{ticket.id}  {ticket.customer_name}  {ticket.channel.label_zh}  "
            f"{ticket.category.label_zh}  {ticket.priority.label_zh}  {status}"
        )
    lines = [head]
    if ticket.contact is not None:
        masked = ticket.contact.masked()
        lines.append(f"  contact: {masked.name} {masked.phone or ''} {masked.email or ''}".rstrip())
    if ticket.purchase is not None:
        purchase = ticket.purchase
        lines.append(
            f"  product: {purchase.product.model} ({purchase.purchased_on.isoformat()}), "
            f"in warranty: {purchase.in_warranty(ticket.received_at)}"
        )
    lines.append(f"  occurred: {_minute(zone, ticket.occurred_at)}  problem: {ticket.description}")
    lines += [_event_line(event, lang, zone) for event in ticket.history]
    return "\n".join(lines)


def _progress(done: int, total: int, *, width: int = 30) -> None:
    """A plain-text progress bar on stderr (redrawn in place)."""
    filled = width * done // max(total, 1)
    bar = "#" * filled + "-" * (width - filled)
    end = "\n" if done >= total else ""
    print(f"\r  quarter [{bar}] {done}/{total} tickets", end=end, file=sys.stderr, flush=True)


def _quarter(
    store: SQLiteStore, policy: SlaPolicy, *, seed: int, scale: float
) -> list[NpsResponse]:
    """Play a generated quarter through a desk, then write it to ``store`` in one transaction.

    Returns the NPS survey answers the demo customers gave.
    """
    plans = list(plan_quarter(seed=seed, scale=scale))
    desk = ServiceDesk(MemoryStore(), clock=FixedClock(QUARTER_START), sla=policy)
    rnd = random.Random(seed)
    surveys = []
    saves = []
    customers = {}
    step = max(1, len(plans) // 50)
    for index, planned in enumerate(plans, start=1):
        ticket = play(desk, planned)
        customers[planned.customer.id] = planned.customer
        due = policy.evaluate(ticket, ticket.updated_at).next_due if ticket.is_open else None
        saves.append(Save(ticket, 0, due))
        if ticket.visits and rnd.random() < 0.35:
            score = min(10, max(0, 2 * ticket.visits[-1].score + rnd.choice((-2, -1, 0, 0, 1))))
            surveys.append(
                NpsResponse(customer_id=ticket.customer_id, score=score, at=ticket.visits[-1].at)
            )
        if index % step == 0 or index == len(plans):
            _progress(index, len(plans))
    store.save_many(saves)
    for customer in customers.values():
        store.save_customer(customer)
    return surveys


def _key_customers(store: SQLiteStore) -> set[str]:
    keys: set[str] = set()
    after = None
    while True:
        page = store.customers(limit=500, after_id=after)
        keys.update(c.id for c in page if c.key_account)
        if len(page) < 500:
            return keys
        after = page[-1].id


def _demo(args: argparse.Namespace) -> int:
    if args.db is None:
        path = Path(tempfile.mkdtemp(prefix="aftersales-demo-")) / "aftersales.db"
    else:
        path = Path(args.db)
        if path.exists():
            print(f"aftersales demo: {path} exists; give a new file name", file=sys.stderr)
            return 2
    out_dir = Path(args.out) if args.out else path.parent
    path.parent.mkdir(parents=True, exist_ok=True)
    store = SQLiteStore(path)
    try:
        # the quarter's last SLA clocks run into 2027, whose official days off
        # the holidays data may not have yet: the demo declares it complete
        calendar = WorkCalendar.china(complete_years=(2027,))
        policy = SlaPolicy.default(calendar)
        clock = FixedClock(DEMO_START)
        desk = ServiceDesk(store, clock=clock, sla=policy)
        ids = run_scenarios(desk)
        clock.set(DEMO_END)
        for ticket_id in ids:
            desk.check_sla(ticket_id)
        events = sum(desk.get(i).version for i in ids)
        print(
            f"aftersales demo: {len(ids)} tickets, {events} events, "
            f"SQLite store {path}, SLA read at {DEMO_END.format('YYYY-MM-DD HH:mm')}"
        )
        for ticket_id in ids:
            if args.only and ticket_id not in args.only:
                continue
            ticket = desk.get(ticket_id)
            print()
            print(render_ticket(ticket, lang=args.lang))
            print("\n".join(render_sla(desk.sla(ticket_id), lang=args.lang)))
        if args.scale == 0:
            return 0
        print()
        surveys = _quarter(store, policy, seed=args.seed, scale=args.scale)
        total = len(store.find(TicketQuery(limit=None)))
        month = QUARTER_END.subtract(days=1).format("YYYY-MM")
        causes, actions = quarter_improvements(store.find(TicketQuery(limit=None)))
        report = monthly(
            store,
            month,
            calendar=calendar,
            policy=policy,
            key_customers=_key_customers(store),
            surveys=surveys,
            installed_base=INSTALLED_BASE,
            actions=actions,
            root_causes=causes,
        )
        out_dir.mkdir(parents=True, exist_ok=True)
        md = out_dir / f"monthly-{month}.{args.lang}.md"
        page = out_dir / f"monthly-{month}.{args.lang}.html"
        md.write_text(report.to_markdown(lang=args.lang), encoding="utf-8")
        page.write_text(report.to_html(lang=args.lang), encoding="utf-8")
        f = report.figures
        print(
            f"quarter {QUARTER_START.format('YYYY-MM-DD')} – {QUARTER_END.subtract(days=1).format('YYYY-MM-DD')}: "
            f"{total} tickets in the store; {month}: {f.received} received, "
            f"closure {f.closure.percent or 0:.1f}%, satisfaction {f.satisfaction.mean or 0:.2f}, "
            f"{len(f.events)} major events"
        )
        print(f"monthly report (Markdown): {md}")
        print(f"monthly report (HTML):     {page}")
    finally:
        store.close()
    return 0


def _report(args: argparse.Namespace) -> int:
    path = Path(args.db)
    if not path.exists():
        print(f"aftersales report: {path} does not exist", file=sys.stderr)
        return 2
    if args.calendar == "china":
        calendar = WorkCalendar.china(complete_years=args.complete_years)
    else:
        calendar = WorkCalendar.always(args.tz)
    policy = SlaPolicy.default(calendar)
    store = SQLiteStore(path)
    try:
        keys = _key_customers(store)
        if args.kind == "monthly":
            report: Any = monthly(
                store, args.month, calendar=calendar, policy=policy, key_customers=keys
            )
        elif args.kind == "weekly":
            report = weekly(store, args.week, calendar=calendar, policy=policy, key_customers=keys)
        else:
            report = daily(store, args.day, calendar=calendar, policy=policy, key_customers=keys)
    finally:
        store.close()
    text = report.to_markdown(lang=args.lang)
    if args.md:
        Path(args.md).write_text(text, encoding="utf-8")
        print(f"Markdown: {args.md}")
    if args.html:
        Path(args.html).write_text(report.to_html(lang=args.lang), encoding="utf-8")
        print(f"HTML: {args.html}")
    if not args.md and not args.html:
        print(text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aftersales`` command; returns the exit status."""
    parser = argparse.ArgumentParser(prog="aftersales", description="After-sales service SDK")
    parser.add_argument("--version", action="version", version=f"aftersales {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="play realistic tickets through the lifecycle")
    demo.add_argument("--lang", choices=("zh", "en"), default="zh")
    demo.add_argument("--only", nargs="*", help="print only these ticket ids")
    demo.add_argument("--db", help="SQLite file to create (default: a new temporary file)")
    demo.add_argument("--out", help="directory for the reports (default: the database's)")
    demo.add_argument("--seed", type=int, default=2026, help="seed of the generated quarter")
    demo.add_argument(
        "--scale", type=float, default=1.0, help="volume of the quarter (0: scenarios only)"
    )
    report = commands.add_parser("report", help="daily / weekly / monthly report of a store")
    report.add_argument("kind", choices=("daily", "weekly", "monthly"))
    report.add_argument("--db", required=True, help="SQLite file to report on")
    report.add_argument("--month", help="e.g. 2026-10 (monthly)")
    report.add_argument("--week", help="e.g. 2026-W42 (weekly)")
    report.add_argument("--day", help="e.g. 2026-10-12 (daily)")
    report.add_argument("--lang", choices=("zh", "en"), default="zh")
    report.add_argument("--html", help="write the HTML page here")
    report.add_argument("--md", help="write the Markdown here (default: print it)")
    report.add_argument("--calendar", choices=("china", "always"), default="china")
    report.add_argument("--tz", default="Asia/Shanghai", help="zone of --calendar always")
    report.add_argument(
        "--complete-years",
        type=int,
        nargs="*",
        default=[],
        help="years without official holiday data to treat as plain Mon–Fri weeks",
    )
    args = parser.parse_args(argv)
    if args.command == "demo":
        return _demo(args)
    if args.command == "report":
        needed = {"monthly": "month", "weekly": "week", "daily": "day"}[args.kind]
        if getattr(args, needed) is None:
            parser.error(f"report {args.kind} needs --{needed}")
        return _report(args)
    parser.error(f"unknown command {args.command!r}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
