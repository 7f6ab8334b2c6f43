"""The demo's backtest: its quarter judged under a stricter urgent first response (30 → 20 minutes).

``aftersales demo`` ends with it: the proposed policy written as a policy
file, the backtest of the quarter written as Markdown, HTML and JSON, and a
few lines printed — the same-policy check first, then the first-response
figures under both policies and where the flips fall — with the command that
repeats it.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.demo import demo_policy
    >>> stricter = stricter_first_response(demo_policy(WorkCalendar.china()))
    >>> stricter.policy("standard")["first_response"].metric.targets["urgent"].duration.seconds
    1200
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from aftersales.backtest import (
    Backtest,
    backtest,
    backtest_html,
    backtest_json,
    backtest_markdown,
    with_target,
)
from aftersales.backtest.render import sanity_line
from aftersales.calendar import WorkCalendar
from aftersales.demo.contracts import OUTLET_CALENDAR, outlet_policy
from aftersales.kpi.periods import Period
from aftersales.sla import SlaPolicies, SlaPolicy, WorkingTime
from aftersales.sla.policy_document import document_of
from aftersales.sla.policy_file import dump_policy_file
from aftersales.storage.sqlite import SQLiteStore
from aftersales.vocab import Priority

__all__ = ["demo_backtest", "stricter_first_response"]

#: The proposal the demo backtests: urgent first response within 20 minutes (30 in force).
URGENT_FIRST_RESPONSE = WorkingTime(timedelta(minutes=20))


def stricter_first_response(policy: SlaPolicy) -> SlaPolicy:
    """``policy`` with every named policy's urgent first response due in 20 minutes at most.

    A named policy already stricter (the VIP contract's 15 minutes) keeps its target.
    """
    if not isinstance(policy, SlaPolicies):
        return with_target(policy, "first_response", "urgent", URGENT_FIRST_RESPONSE)
    for name, single in policy.policies.items():
        target = single["first_response"].metric.target_for(Priority.URGENT)
        if isinstance(target, WorkingTime) and target.duration > URGENT_FIRST_RESPONSE.duration:
            policy = with_target(
                policy, "first_response", "urgent", URGENT_FIRST_RESPONSE, named=name
            )
    return policy


def _lines(result: Backtest, period: str) -> list[str]:
    row = result.metric("first_response")
    rates = [
        f"{rate:.1%}" if rate is not None else "–" for rate in (row.current_rate, row.proposed_rate)
    ]
    by_priority = ", ".join(
        f"{g.value} +{g.comparison.to_breached}"
        for g in result.breakdown("priority")
        if g.comparison.metric == "first_response" and g.comparison.to_breached
    )
    return [
        f"backtest {period}, urgent first response 30 → 20 min: {sanity_line(result)}",
        f"  first response met {row.current_met:,} → {row.proposed_met:,}, breached"
        f" {row.current_breached:,} → {row.proposed_breached:,} (met rate {rates[0]} → {rates[1]});"
        f" {row.to_breached:,} cycles newly breached ({by_priority or 'none'})",
    ]


def demo_backtest(
    store: SQLiteStore, policy: SlaPolicy, calendar: WorkCalendar, out: Path, period: Period
) -> list[str]:
    """Backtest the stricter urgent first response on ``period``; write its files, return the lines to print."""
    stricter = stricter_first_response(policy)
    calendars = {"china": calendar, OUTLET_CALENDAR: outlet_policy(calendar).calendar}
    proposed_file = out / "proposed-sla-policy.toml"
    proposed_file.write_text(dump_policy_file(document_of(stricter, calendars)), encoding="utf-8")
    result = backtest(store, period, stricter, current=policy, workers=1)
    names = {
        "period": period.label,
        "current": "in force",
        "proposed": "urgent first response 20 min",
    }
    base = out / f"backtest-{period.label}"
    written = []
    for suffix, text in (
        (".md", backtest_markdown(result, **names)),
        (".html", backtest_html(result, **names)),
        (".json", backtest_json(result, **names)),
    ):
        path = base.with_suffix(suffix)
        path.write_text(text, encoding="utf-8")
        written.append(str(path))
    return [
        *_lines(result, period.label),
        f"  backtest files: {', '.join(written)}",
        f"  again: aftersales sla backtest --db {store.path} --period {period.label}"
        f" --policy {proposed_file} --complete-years 2027",
    ]
