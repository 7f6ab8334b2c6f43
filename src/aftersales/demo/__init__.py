"""Realistic demo data played through the real service desk (what ``aftersales demo`` shows).

* :mod:`~aftersales.demo.scenarios`: six hand-written tickets covering the
  lifecycle's main paths (:func:`run_scenarios`);
* :mod:`~aftersales.demo.quarter`: a generated quarter of tickets
  (:func:`plan_quarter`, :func:`play`, :func:`replay`);
* :mod:`~aftersales.demo.improvements`: the root causes and improvement
  actions of that quarter (:func:`quarter_improvements`).

An entry point, like the command line: it may import every layer, and no
other part of the library imports it.

Example:
    >>> from aftersales import ServiceDesk, FixedClock
    >>> desk = ServiceDesk(clock=FixedClock(DEMO_START))
    >>> ids = run_scenarios(desk)
    >>> [desk.get(i).status.value for i in ids]
    ['closed', 'closed', 'closed', 'analysing', 'analysing', 'cancelled']
    >>> ids == list(SCENARIO_IDS)
    True
"""

from aftersales.demo.improvements import quarter_improvements
from aftersales.demo.quarter import (
    INSTALLED_BASE,
    QUARTER_END,
    QUARTER_START,
    PlannedTicket,
    Step,
    plan_quarter,
    play,
    replay,
)
from aftersales.demo.scenarios import DEMO_END, DEMO_START, SCENARIO_IDS, run_scenarios

__all__ = [
    "DEMO_END",
    "DEMO_START",
    "INSTALLED_BASE",
    "QUARTER_END",
    "QUARTER_START",
    "SCENARIO_IDS",
    "PlannedTicket",
    "Step",
    "plan_quarter",
    "play",
    "quarter_improvements",
    "replay",
    "run_scenarios",
]
