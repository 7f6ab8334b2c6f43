"""Quick start: a ticket's whole life on the embedded SQLite store, its SLA clocks and KPIs.

Run it with ``python examples/quickstart.py``; it needs nothing but ``aftersales``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pendulum

from aftersales import (
    Channel,
    Customer,
    FixedClock,
    IntakeFacts,
    InvalidTransition,
    ProblemCategory,
    ServiceDesk,
    SlaPolicy,
    SQLiteStore,
    Ticket,
    WorkCalendar,
)
from aftersales.kpi import Period, ServiceKpis

TZ = "Asia/Shanghai"


def main(folder: Path) -> Ticket:
    # 1. A desk on a SQLite file, a clock we control, the China working calendar
    #    (09:00–12:00, 13:30–18:00, official holidays and 调休) and the built-in SLA.
    calendar = WorkCalendar.china()
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 11, 50, tz=TZ))
    store = SQLiteStore(folder / "aftersales.db")
    desk = ServiceDesk(store, clock=clock, sla=SlaPolicy.default(calendar))

    # 2. Register the problem (受理登记): the priority rules make it urgent.
    ticket = desk.open_ticket(
        ticket_id="T202603001",
        customer=Customer(id="C202405001", name="XX科技有限公司"),
        channel=Channel.PHONE,
        category=ProblemCategory.PRODUCT_QUALITY,
        description="开机后频繁死机,约每小时一次",
        occurred_at=clock.now().subtract(minutes=20),
        facts=IntakeFacts(core_business_stopped=True),
        by="李工",
    )
    print(f"{ticket.id}: {ticket.priority.label_zh} / {ticket.status.label_zh}")
    first_response = desk.sla(ticket.id)["first_response"]
    print(f"first response due {first_response.due_at:%H:%M} (the lunch break does not count)")

    # 3. Walk the lifecycle; each command appends one event.
    clock.advance(minutes=10)
    desk.acknowledge(ticket.id, by="李工")
    desk.record_analysis(ticket.id, by="李工", finding="内存模块故障", root_cause="hardware_fault")
    clock.advance(minutes=20)
    desk.resolve_on_first_contact(ticket.id, by="李工", answer="远程指导更换内存条")

    # 4. A command the status does not allow is refused, and nothing is written.
    try:
        desk.acknowledge(ticket.id, by="李工")
    except InvalidTransition as error:
        print(f"refused: {error}")

    clock.set(pendulum.datetime(2026, 3, 3, 10, tz=TZ))
    closed = desk.record_visit(ticket.id, by="回访专员", resolved=True, score=5, comment="满意")
    print(f"{closed.id}: {closed.status.label_zh}, {len(closed.history)} events")
    assert Ticket.replay(closed.history) == closed

    # 5. SLA clocks, rebuilt from the history.
    for result in desk.sla(ticket.id).results:
        print(f"  {result.metric:<16} {result.state.label_zh}  used {result.elapsed}")

    # 6. KPIs of the month.
    kpis = ServiceKpis(Period.parse("2026-03", TZ), calendar, policy=desk.sla_policy)
    for stored in desk.find():
        kpis.add(stored)
    figures = kpis.result()
    print(f"closure rate {figures.closure.percent:.0f} %, satisfaction {figures.satisfaction.mean}")
    store.close()
    return closed


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        main(Path(folder))
