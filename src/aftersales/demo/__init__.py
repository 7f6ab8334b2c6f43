"""Realistic demo data played through the real service desk (what ``aftersales demo`` shows).

* :mod:`~aftersales.demo.scenarios`: seven hand-written tickets covering the
  lifecycle's main paths, one of them waiting for a spare part
  (:func:`run_scenarios`, on a desk with :func:`demo_policy`);
* :mod:`~aftersales.demo.quarter`: a generated quarter of tickets
  (:func:`plan_quarter`, :func:`play`, :func:`replay`);
* :mod:`~aftersales.demo.improvements`: the root causes and improvement
  actions of that quarter (:func:`quarter_improvements`, kept in a store by
  :func:`store_quarter_improvements`);
* :mod:`~aftersales.demo.surveys`: the surveys the quarter's customers
  answered, after return visits and on their own (:func:`quarter_surveys`);
* :mod:`~aftersales.demo.teams`: the teams on their calendars that the
  scenarios' tickets are assigned to (:func:`store_demo_teams`,
  :func:`demo_assignment`);
* :mod:`~aftersales.demo.attributes`: the custom attributes the scenarios set,
  保修类型 and 更换部件 (:data:`DEMO_ATTRIBUTES`, :func:`declare_demo_attributes`).

An entry point, like the command line: it may import every layer, and no
other part of the library imports it.

Example:
    >>> from aftersales import ServiceDesk, FixedClock, WorkCalendar
    >>> desk = ServiceDesk(clock=FixedClock(DEMO_START), sla=demo_policy(WorkCalendar.china()))
    >>> ids = run_scenarios(desk)
    >>> [desk.get(i).status.value for i in ids]
    ['closed', 'closed', 'closed', 'analysing', 'analysing', 'cancelled', 'closed', 'closed']
    >>> ids == list(SCENARIO_IDS)
    True
"""

from aftersales.demo.attributes import DEMO_ATTRIBUTES, declare_demo_attributes
from aftersales.demo.improvements import quarter_improvements, store_quarter_improvements
from aftersales.demo.quarter import (
    INSTALLED_BASE,
    QUARTER_END,
    QUARTER_START,
    PlannedTicket,
    Step,
    installed_base,
    plan_quarter,
    play,
    replay,
)
from aftersales.demo.scenarios import (
    DEMO_END,
    DEMO_START,
    SCENARIO_IDS,
    demo_policy,
    run_scenarios,
)
from aftersales.demo.surveys import quarter_surveys
from aftersales.demo.teams import demo_assignment, store_demo_teams

__all__ = [
    "DEMO_ATTRIBUTES",
    "DEMO_END",
    "DEMO_START",
    "INSTALLED_BASE",
    "QUARTER_END",
    "QUARTER_START",
    "SCENARIO_IDS",
    "PlannedTicket",
    "Step",
    "declare_demo_attributes",
    "demo_assignment",
    "demo_policy",
    "installed_base",
    "plan_quarter",
    "play",
    "quarter_improvements",
    "quarter_surveys",
    "replay",
    "run_scenarios",
    "store_demo_teams",
    "store_quarter_improvements",
]
