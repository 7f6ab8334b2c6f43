"""Generate the SLA timeline pictures of the docs (``docs/img/sla-*.svg``).

Run ``python docs/_generators/sla_pictures.py`` after changing the SLA clocks or
their pictures; ``tests/test_docs_build.py`` checks the committed files are
what this script draws. Each picture is a worked example of ``docs/sla.md`` on
the China calendar (09:00–12:00, 13:30–18:00, official days off and 调休).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pendulum

from aftersales import (
    Channel,
    Customer,
    FixedClock,
    IntakeFacts,
    ProblemCategory,
    ServiceDesk,
    SlaPolicy,
    SolutionStep,
    WorkCalendar,
)
from aftersales.sla.picture import timeline_svg

DOCS = Path(__file__).resolve().parent.parent


def _sh(month: int, day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz="Asia/Shanghai")


def _desk(start: pendulum.DateTime) -> tuple[ServiceDesk, FixedClock]:
    clock = FixedClock(start)
    return ServiceDesk(clock=clock, sla=SlaPolicy.default(WorkCalendar.china())), clock


def _open(desk: ServiceDesk, facts: IntakeFacts) -> str:
    return desk.open_ticket(
        ticket_id="T1",
        customer=Customer(id="C202405001", name="XX科技有限公司"),
        channel=Channel.PHONE,
        category=ProblemCategory.PRODUCT_QUALITY,
        description="开机后频繁死机",
        occurred_at=desk.clock.now(),
        facts=facts,
        by="李工",
    ).id


def render() -> dict[str, str]:
    """File name → SVG text of every picture."""
    pictures: dict[str, str] = {}

    # 1. Urgent first response across the lunch break, answered late.
    desk, clock = _desk(_sh(3, 2, 11, 50))
    tid = _open(desk, IntakeFacts(core_business_stopped=True))
    clock.set(_sh(3, 2, 14, 0))
    desk.acknowledge(tid, by="李工")
    pictures["sla-lunch.svg"] = timeline_svg(desk.sla(tid)["first_response"])

    # 2. Resolution paused while the customer decides, over National Day and 调休.
    desk, clock = _desk(_sh(9, 30, 15))
    tid = _open(desk, IntakeFacts(partial_function_affected=True))
    clock.set(_sh(9, 30, 16))
    desk.acknowledge(tid, by="李工")
    clock.set(_sh(9, 30, 17))
    desk.propose_solution(
        tid,
        by="李工",
        summary="上门更换内存模块",
        steps=[SolutionStep("更换内存模块", "王工程师", _sh(10, 9, 18))],
    )
    clock.set(_sh(10, 8, 10))
    desk.record_agreement(tid, by="李工", words="同意")
    pictures["sla-pause.svg"] = timeline_svg(desk.sla(tid, at=_sh(10, 9, 15))["resolution"])

    # 3. Return visit within 3 working days after execution, across National Day.
    desk, clock = _desk(_sh(9, 30, 9))
    tid = _open(desk, IntakeFacts(consultation=True))
    clock.set(_sh(9, 30, 15))
    desk.resolve_on_first_contact(tid, by="李工", answer="远程指导重置")
    clock.set(_sh(10, 9, 11))
    desk.record_visit(tid, by="回访专员", resolved=True, score=5)
    pictures["sla-return-visit.svg"] = timeline_svg(desk.sla(tid)["return_visit"], lang="zh")
    return pictures


def main() -> int:
    """Write the pictures into ``docs/img``."""
    target = DOCS / "img"
    target.mkdir(exist_ok=True)
    for name, svg in render().items():
        (target / name).write_text(svg + "\n", encoding="utf-8")
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
