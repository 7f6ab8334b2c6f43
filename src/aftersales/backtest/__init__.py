"""Try an SLA policy before adopting it: a period's tickets judged under the policy in force and a proposed one.

:func:`backtest` replays the tickets received in a period (a month, a
quarter) under both policies and compares them per metric: met and breached
cycles and the met rate under each, the cycles that flip either way (each
with an ``explain()`` of both sides), broken down by priority, category,
channel and team. The same policy on both sides gives no flip; every
backtest checks that of the current policy (``same_policy_flips``).
:func:`backtest_markdown`, :func:`backtest_html` (with charts) and
:func:`backtest_json` write the result; the command line is ``aftersales sla
backtest``.

The package, lowest module first: ``judging`` (a cycle judged under another
target, from its result or from its stored facts), ``tally`` (the mergeable
counts and the :class:`Backtest` value), ``run`` (reading the store, in
processes) and ``render``. Domain layer: imports the SLA classes, the read
models' facts and the KPI periods; a store comes in as an argument.

Example:
    >>> from aftersales.sla import SlaState
    >>> tally = BacktestTally()
    >>> tally.add_cycle("T1", GroupKeys("urgent", "consultation", "phone", "(no team)"),
    ...                 "first_response", 0, SlaState.MET, SlaState.BREACHED)
    >>> tally.result().metric("first_response").to_breached
    1
"""

from aftersales.backtest.judging import (
    clock_pairs,
    judge_stored,
    rejudge,
    shared_clocks,
)
from aftersales.backtest.render import (
    backtest_dict,
    backtest_html,
    backtest_json,
    backtest_markdown,
    sanity_line,
)
from aftersales.backtest.run import BacktestSource, backtest, store_opener
from aftersales.backtest.tally import (
    DIMENSIONS,
    Backtest,
    BacktestTally,
    Flip,
    GroupComparison,
    GroupKeys,
    MetricComparison,
)
from aftersales.backtest.variants import with_target

__all__ = [
    "DIMENSIONS",
    "Backtest",
    "BacktestSource",
    "BacktestTally",
    "Flip",
    "GroupComparison",
    "GroupKeys",
    "MetricComparison",
    "backtest",
    "backtest_dict",
    "backtest_html",
    "backtest_json",
    "backtest_markdown",
    "clock_pairs",
    "judge_stored",
    "rejudge",
    "sanity_line",
    "shared_clocks",
    "store_opener",
    "with_target",
]
