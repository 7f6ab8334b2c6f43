"""Lifecycle throughput: replay and command application against a per-ticket state machine.

Two measurements, each beside its baseline run in the same process:

1. **Replay**: rebuild tickets from their histories with ``Ticket.replay`` (the
   compiled transition table plus the fold). Baseline: drive one
   ``python-statemachine`` ``TicketLifecycle`` instance per ticket through the
   same events (transition checks only, no fold).
2. **Commands**: apply new commands with full validation (event construction,
   lifecycle check, fold) via ``Ticket.apply``. Baseline: the same events, with
   the lifecycle check done by building a ``TicketLifecycle`` at the ticket's
   status and sending the command, as a stateless service would per request.

The baselines are slow, so they run on a subsample and are reported as rates.
Both sides must agree: the status each ticket ends in is compared, ticket by
ticket, and the script exits with status 1 when any differs.

Run: ``python benchmarks/lifecycle.py`` (defaults: 100,000 tickets, 1,000,000 events);
``--tickets 50 --baseline-tickets 20 --commands 200`` is a quick check.
"""

from __future__ import annotations

import os
import sys

# benchmarks/calendar.py is named like the stdlib module: keep this folder off the path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import hashlib  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import attrs  # noqa: E402
import pendulum  # noqa: E402

from aftersales import TRANSITIONS, Channel, Priority, ProblemCategory, Ticket, TicketLifecycle  # noqa: E402
from aftersales.model.attachments import AttachmentRef  # noqa: E402
from aftersales.model.events import EVENTS_BY_COMMAND, TicketEvent, TicketOpened, VisitRecorded  # noqa: E402
from aftersales.model.location import Location  # noqa: E402
from aftersales.model.solution import SolutionStep  # noqa: E402
from aftersales.service.commands import DESK_ONLY  # noqa: E402
from aftersales.vocab import RootCauseCategory  # noqa: E402

START = pendulum.datetime(2026, 10, 1, 9, 0, tz="Asia/Shanghai")
STEP = pendulum.duration(minutes=37)
DEADLINE = START.add(days=30)
PAYLOADS: dict[str, dict[str, Any]] = {
    "acknowledge": {"note": "已联系客户"},
    "resolve_on_first_contact": {"answer": "指导客户重置网络设置"},
    "record_analysis": {"finding": "内存模块故障", "root_cause": RootCauseCategory.HARDWARE_FAULT},
    "propose_solution": {
        "summary": "上门更换内存模块",
        "steps": (SolutionStep("更换内存模块", "王工程师", DEADLINE),),
    },
    "record_agreement": {"words": "同意"},
    "record_dispute": {"words": "要求换新机", "change_request": "换新机"},
    "book_onsite_visit": {"appointment_at": DEADLINE, "engineer": "王工程师"},
    "record_progress": {"result": "已更换", "onsite": True},
    "report_new_problem": {"description": "主板异常"},
    "finish_execution": {"summary": "处理完成"},
    "reopen": {"reason": "问题复现"},
    "assign": {"assignee": "赵工"},
    "add_note": {"text": "客户上午有空"},
    "change_sla_policy": {"sla_policy": "default", "reason": "合同续签"},
    "record_contact": {"channel": Channel.WECHAT, "summary": "告知进度"},
    "suggest_improvement": {"text": "优化装箱流程"},
}


def payload(command: str, ticket: Ticket, rng: random.Random) -> dict[str, Any]:
    """Plausible arguments for ``command`` on ``ticket``."""
    if command == "record_visit":
        good = rng.random() < 0.8
        return {"resolved": good, "score": 5 if good else 2, "comment": "回访"}
    if command == "escalate":
        return {"level": ticket.escalation_level + 1, "reason": "客户投诉"}
    if command == "change_priority":
        others = [p for p in Priority if p is not ticket.priority]
        return {"priority": rng.choice(others), "reason": "影响扩大"}
    if command == "set_substatus":  # waits for parts, or the part came
        return {"substatus": None if ticket.substatus else "waiting_parts", "reason": "备件"}
    if command == "set_attributes":  # a serial number the ticket does not hold yet
        return {"attributes": {"serial_number": f"SN-{ticket.version:05d}"}}
    if command in DETAILS:
        return DETAILS[command](ticket)
    return PAYLOADS[command]


def _photo(ticket: Ticket) -> AttachmentRef:
    number = ticket.version + 1  # the attaching event's: one file per event
    return AttachmentRef(
        uri=f"s3://after-sales/{ticket.id}/{number}.jpg",
        name=f"现场照片{number}.jpg",
        media_type="image/jpeg",
        size=482_113,
        sha256=hashlib.sha256(f"{ticket.id}/{number}".encode()).hexdigest(),
        attached_by="王工",
        attached_at=ticket.updated_at,
    )


#: The arguments of the commands on a ticket's details, from the ticket.
DETAILS: dict[str, Callable[[Ticket], dict[str, Any]]] = {
    "add_tags": lambda ticket: {
        "tags": (next(f"批次{n}" for n in range(1, 99) if f"批次{n}" not in ticket.tags),)
    },
    "remove_tags": lambda ticket: {"tags": (min(ticket.tags),)},
    "attach": lambda ticket: {"attachment": _photo(ticket)},
    "detach": lambda ticket: {"sha256": ticket.attachments[0].sha256},
    "set_location": lambda ticket: {
        "location": None if ticket.location else Location("天河路385号", "广州市天河区")
    },
}


def applies(command: str, ticket: Ticket) -> bool:
    """False for taking off a tag or an attachment the ticket does not have."""
    if command == "remove_tags":
        return bool(ticket.tags)
    return command != "detach" or bool(ticket.attachments)


def opening(ticket_id: str, rng: random.Random) -> TicketOpened:
    at = START.add(minutes=rng.randrange(0, 60 * 24 * 60))
    return TicketOpened(
        ticket_id=ticket_id,
        seq=1,
        at=at,
        by="李工",
        customer_id=f"C{rng.randrange(10**6):06d}",
        customer_name="XX科技有限公司",
        channel=rng.choice(Channel.members()),
        category=rng.choice(ProblemCategory.members()),
        occurred_at=at.subtract(minutes=20),
        description="开机后频繁死机",
        priority=rng.choice(list(Priority)),
    )


def generate(tickets: int, events_per_ticket: int, seed: int = 7) -> list[list[TicketEvent]]:
    """Valid histories: random walks over the lifecycle, avoiding cancellation."""
    rng = random.Random(seed)
    histories = []
    for n in range(tickets):
        ticket = Ticket.replay([opening(f"T{n:07d}", rng)])
        while ticket.version < events_per_ticket:
            allowed = [
                c
                for c in TRANSITIONS.allowed(ticket.status)
                if c != "cancel"
                and c not in DESK_ONLY
                and not c.startswith("record_sla")
                and applies(c, ticket)
            ]
            command = rng.choice(allowed)
            event = ticket.new_event(
                EVENTS_BY_COMMAND[command],
                by="李工",
                at=ticket.updated_at + STEP,
                **payload(command, ticket, rng),
            )
            ticket = ticket.apply(event)
        histories.append(list(ticket.history))
    return histories


def drive_state_machine(history: list[TicketEvent]) -> Any:
    """Baseline replay: one python-statemachine instance per ticket."""
    machine = TicketLifecycle()
    for event in history[1:]:
        closes = isinstance(event, VisitRecorded) and event.visit_closes
        machine.send(event.command, visit_closes=closes)
    return machine.current_state_value


def timed(label: str, count: int, work: Callable[[], object]) -> float:
    began = time.perf_counter()
    work()
    seconds = time.perf_counter() - began
    rate = count / seconds
    print(f"  {label:<58} {count:>10,} in {seconds:8.2f} s  {rate:>12,.0f} /s")
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=10, help="events per ticket")
    parser.add_argument("--baseline-tickets", type=int, default=2_000)
    parser.add_argument(
        "--commands", type=int, default=200_000, help="commands timed on our side (at least)"
    )
    args = parser.parse_args(argv)

    print(f"Python {sys.version.split()[0]}; generating {args.tickets:,} tickets …")
    began = time.perf_counter()
    histories = generate(args.tickets, args.events)
    events = sum(len(h) for h in histories)
    print(f"  generated {events:,} events in {time.perf_counter() - began:.1f} s\n")

    sample = histories[: args.baseline_tickets]
    sample_events = sum(len(h) for h in sample)

    print("Replay (validate every transition and fold into tickets)")
    replayed: list[Ticket] = []
    driven: list[Any] = []
    ours = timed(
        "aftersales Ticket.replay (compiled table)",
        events,
        lambda: replayed.extend(Ticket.replay(h) for h in histories),
    )
    base = timed(
        "baseline: a python-statemachine instance per ticket",
        sample_events,
        lambda: driven.extend(drive_state_machine(h) for h in sample),
    )
    print(f"  ratio: {ours / base:,.1f}× the baseline\n")
    replay_differ = sum(t.status != s for t, s in zip(replayed, driven, strict=False))

    print("Commands (full validation: build the event, check the lifecycle, fold)")
    tickets = [Ticket.replay(h[:-1]) for h in sample]
    last = [h[-1] for h in sample]

    applied: list[Any] = []
    machines: list[Any] = []

    def ours_commands() -> None:
        applied.clear()
        for ticket, event in zip(tickets, last, strict=True):
            fresh = ticket.new_event(type(event), by=event.by, at=event.at, **_payload_of(event))
            applied.append(ticket.apply(fresh).status)

    def baseline_commands() -> None:
        for ticket, event in zip(tickets, last, strict=True):
            fresh = ticket.new_event(type(event), by=event.by, at=event.at, **_payload_of(event))
            machine = TicketLifecycle(start_value=ticket.status)
            closes = isinstance(fresh, VisitRecorded) and fresh.visit_closes
            machine.send(fresh.command, visit_closes=closes)
            machines.append(machine.current_state_value)

    repeat = max(1, args.commands // max(1, len(tickets)))
    ours_cmd = timed(
        "aftersales Ticket.new_event + Ticket.apply",
        len(tickets) * repeat,
        lambda: [ours_commands() for _ in range(repeat)],
    )
    base_cmd = timed(
        "baseline: new_event + a state machine per command",
        len(tickets),
        baseline_commands,
    )
    print(f"  ratio: {ours_cmd / base_cmd:,.1f}× the baseline\n")
    command_differ = sum(a != b for a, b in zip(applied, machines, strict=True))
    print(
        f"agreement: final status after replay, {replay_differ} of {len(driven):,} tickets differ;"
        f" status after the last command, {command_differ} of {len(machines):,} differ"
    )
    return 1 if replay_differ or command_differ or len(driven) != len(sample) else 0


def _payload_of(event: TicketEvent) -> dict[str, Any]:
    """The event's own arguments, without those ``new_event`` fills in or the event derives."""
    skip = {"ticket_id", "seq", "at", "by"}
    return {
        f.name: getattr(event, f.name)
        for f in attrs.fields(type(event))
        if f.init and f.name not in skip
    }


if __name__ == "__main__":
    raise SystemExit(main())
