"""Bilingual labels of the reports (zh / en).

Example:
    >>> text("closure", "zh"), text("closure", "en")
    ('投诉闭环率', 'Complaint closure rate')
"""

from __future__ import annotations

from aftersales.errors import UnknownValue

__all__ = ["LANGS", "SLA_METRIC_LABELS", "check_lang", "metric_label", "period_text", "text"]

#: Labels of the built-in SLA metrics: name → (zh, en).
SLA_METRIC_LABELS: dict[str, tuple[str, str]] = {
    "first_response": ("首次响应", "first response"),
    "resolution": ("问题解决", "resolution"),
    "return_visit": ("回访时限", "return visit"),
    "low_score_callback": ("低分回电", "low-score callback"),
    "onsite_within": ("24小时上门", "on site within 24 h"),
    "next_reply": ("下次回复", "next reply"),
    "periodic_update": ("定期更新", "periodic update"),
    "requester_wait": ("客户等待时长", "requester wait time"),
    "agent_work": ("团队处理时长", "agent work time"),
}


def metric_label(metric: str, lang: str) -> str:
    """The label of an SLA metric (its name when it is not a built-in one).

    Example:
        >>> metric_label("first_response", "zh"), metric_label("my_metric", "en")
        ('首次响应', 'my_metric')
    """
    zh, en = SLA_METRIC_LABELS.get(metric, (metric, metric))
    return zh if check_lang(lang) == "zh" else en


#: The languages reports render in.
LANGS = ("zh", "en")

_TEXT: dict[str, tuple[str, str]] = {
    # titles
    "daily": ("售后问题日报", "After-sales daily problem report"),
    "weekly": ("售后问题周报", "After-sales weekly report"),
    "monthly": ("售后服务月报", "After-sales monthly report"),
    "as_of": ("数据截至", "Figures as of"),
    "period_running": ("本期尚未结束", "period still running"),
    "overview": ("概览", "Overview"),
    "sla": ("SLA 达成", "SLA achievement"),
    "top": ("TOP 问题类型", "TOP problem types"),
    "classification": ("问题分类统计", "Problem classification"),
    "quadrants": ("问题四象限", "Four quadrants of problem types"),
    "events": ("重大事件", "Major events"),
    "no_actions": (
        "暂无登记的改进措施(由改进跟踪模块填入)。",
        "No improvement actions registered yet (filled in by improvement tracking).",
    ),
    "no_events": ("本期无重大事件。", "No major events this period."),
    "root_causes": ("根因分析(按责任部门)", "Root causes by responsible department"),
    "no_root_causes": ("本期无登记的根因。", "No root causes recorded for this period."),
    "department": ("责任部门", "Department"),
    "root_cause_category": ("根因类别", "Cause category"),
    "action": ("改进措施", "Action"),
    "owner": ("负责人", "Owner"),
    "due": ("截止日期", "Due"),
    "tickets_explained": ("涉及工单", "Tickets"),
    "lagging": ("跟进滞后的改进措施", "Lagging improvement actions"),
    "no_lagging": ("本周没有滞后的改进措施。", "No improvement action is lagging this week."),
    "new_tickets": ("当日新增问题", "Problems received today"),
    "backlog": ("未结工单", "Open backlog"),
    "ageing": ("未结工单账龄", "Backlog ageing"),
    "volumes": ("工单分布", "Volumes"),
    "trend": ("每日趋势", "Daily trend"),
    "charts_missing": (
        "(安装 report 扩展 pygal 后显示图表)",
        "(install the report extra, pygal, for charts)",
    ),
    # KPI table
    "indicator": ("指标", "Indicator"),
    "this_period": ("本期", "This period"),
    "previous": ("上期", "Previous"),
    "change": ("环比", "Change"),
    "received": ("受理量", "Tickets received"),
    "cancelled": ("已取消", "Cancelled"),
    "closed": ("已关闭", "Closed"),
    "closure": ("投诉闭环率", "Complaint closure rate"),
    "first_line": ("一线解决率", "First-line resolution rate"),
    "escalation": ("升级率", "Escalation rate"),
    "second_line": ("二线跟进解决率", "Second-line resolution rate"),
    "reopen": ("重开率", "Reopen rate"),
    "repeat": ("重复投诉率", "Repeat complaint rate"),
    "one_touch": ("一次解决率", "One-touch resolution rate"),
    "fr_mean": ("平均首次响应(工作时)", "First response, mean (working h)"),
    "fr_median": ("首次响应中位数(工作时)", "First response, median (working h)"),
    "fr_p90": ("首次响应 P90(工作时)", "First response, p90 (working h)"),
    "fr_cal": ("平均首次响应(自然时)", "First response, mean (calendar h)"),
    "res_mean": ("平均处理时长(工作时)", "Handling time, mean (working h)"),
    "res_median": ("处理时长中位数(工作时)", "Handling time, median (working h)"),
    "res_p90": ("处理时长 P90(工作时)", "Handling time, p90 (working h)"),
    "res_cal": ("平均处理时长(自然时)", "Handling time, mean (calendar h)"),
    "satisfaction": ("满意度均分(1–5)", "Satisfaction mean (1–5)"),
    "csat": ("CSAT(4–5分占比)", "CSAT (share of 4–5)"),
    "nps": ("净推荐值", "NPS"),
    "visit_coverage": ("回访覆盖率", "Return-visit coverage"),
    "key_visit_coverage": ("重点客户回访覆盖率", "Key customers' return-visit coverage"),
    "low_score_callback": ("低分48小时回电率", "Low-score callback within 48 h"),
    "channel_consistency": ("渠道响应一致性(变异系数)", "Channel response consistency (CV)"),
    "peak_ratio": ("高峰/非高峰响应比", "Peak / off-peak response ratio"),
    "backlog_count": ("未结工单数", "Open backlog"),
    # tables
    "category": ("问题类型", "Problem type"),
    "count": ("数量", "Count"),
    "rank": ("序号", "No."),
    "share": ("占比", "Share"),
    "impact": ("高影响占比", "High-impact share"),
    "quadrant": ("象限", "Quadrant"),
    "metric": ("指标", "Metric"),
    "achieved": ("达标", "Met"),
    "breached": ("超时", "Breached"),
    "in_progress": ("计时中", "In progress"),
    "rate": ("达成率", "Rate"),
    "channel": ("渠道", "Channel"),
    "priority": ("优先级", "Priority"),
    "product": ("产品", "Product"),
    "agent": ("处理人", "Agent"),
    "root_cause": ("根因", "Root cause"),
    "mean_fr": ("平均首次响应", "Mean first response"),
    "ticket": ("工单", "Ticket"),
    "customer": ("客户", "Customer"),
    "status": ("状态", "Status"),
    "description": ("问题描述", "Problem"),
    "score": ("评分", "Score"),
    "comment": ("客户原话", "Customer's words"),
    "distribution": ("评分分布", "Score distribution"),
    "low_scores": ("低分反馈", "Low-score feedback"),
    "age": ("账龄", "Age"),
    "customer_batch": ("客户批量投诉", "Customer batch complaint"),
    "failure_rate": ("产品批次故障率超标", "Product batch failure rate"),
    "responses": ("份答卷", "responses"),
    "day": ("日期", "Day"),
    "closed_short": ("关闭", "Closed"),
    "received_short": ("受理", "Received"),
    "frequency": ("频次占比", "Frequency"),
    "substatus_time": ("子状态等待时长", "Time in sub-statuses"),
    "substatus": ("子状态", "Sub-status"),
    "entered": ("进入工单数", "Tickets entered"),
    "still_waiting": ("仍在等待", "Still waiting"),
    "wait_total": ("累计(工作时)", "Total (working time)"),
    "wait_mean": ("平均(工作时)", "Mean (working time)"),
    "wait_median": ("中位数(工作时)", "Median (working time)"),
    "wait_mean_calendar": ("平均(日历时)", "Mean (calendar time)"),
    "ticket_type": ("工单类型", "Ticket type"),
    "by_type": ("工单类型分布", "Tickets by type"),
    "type_not_recorded": ("未记录类型", "Not recorded"),
    "counts_as_complaint": ("计入投诉", "Counts as complaint"),
    "yes": ("是", "yes"),
    "satisfaction_dimension": ("满意度维度", "Satisfaction dimension"),
    "by_dimension": ("分维度满意度", "Satisfaction by dimension"),
    "mean_score": ("均分(1–5)", "Mean (1–5)"),
    # the deck (monthly, quarterly, yearly)
    "quarterly": ("售后服务季报", "After-sales quarterly report"),
    "yearly": ("售后服务年报", "After-sales yearly report"),
    "deck_kpi": ("关键绩效指标", "Key performance indicators"),
    "deck_problems": ("问题与挑战分析", "Problems and challenges"),
    "deck_actions": ("改进措施计划", "Improvement plan"),
    "deck_feedback": ("客户反馈汇总", "Customer feedback"),
    "outlook": ("总结与展望", "Summary and outlook"),
    "target": ("目标", "Target"),
    "yoy": ("同比", "Year on year"),
    "onsite_24h": ("24小时上门率", "On site within 24 h"),
    "external_figures": ("其他系统指标", "Figures from other systems"),
    "highlights": ("亮点", "Highlights"),
    "lowlights": ("不足", "Lowlights"),
    "risks": ("主要风险", "Main risks"),
    "supervisor": ("主管说明", "Supervisor's notes"),
    "no_highlights": (
        "本期没有达标或改善的指标。",
        "No target met and no improvement this period.",
    ),
    "no_lowlights": (
        "本期没有未达标或下滑的指标。",
        "No target missed and no decline this period.",
    ),
    "no_risks": ("本期未发现主要风险。", "No main risk found this period."),
    "no_actions_due": ("下期没有到期的改进措施。", "No improvement action falls due next period."),
    "say_target_met": ("{label} {value},达到目标 {target}", "{label} {value}: target {target} met"),
    "say_target_missed": (
        "{label} {value},未达目标 {target}",
        "{label} {value}: target {target} missed",
    ),
    "say_improved": (
        "{label} 环比改善 {change}(本期 {value})",
        "{label} improved by {change} on the previous period (now {value})",
    ),
    "say_declined": (
        "{label} 环比下滑 {change}(本期 {value})",
        "{label} worsened by {change} on the previous period (now {value})",
    ),
    "say_sla_breached": ("SLA「{metric}」超时 {n} 次", "SLA {metric}: {n} cycles breached"),
    "say_major_event": (
        "重大事件:{what} {subject},{n} 件{rate}",
        "Major event: {what} {subject}, {n} tickets{rate}",
    ),
    "say_overdue_action": (
        "改进措施已逾期:{action}(负责人 {owner},截止 {due})",
        "Improvement action overdue: {action} (owner {owner}, due {due})",
    ),
    "surveys_line": (
        "调查问卷 {n} 份 · 问卷满意度均分 {sat} · CSAT {csat}",
        "{n} surveys answered · survey satisfaction {sat} · CSAT {csat}",
    ),
    "visit_satisfaction": ("回访满意度均分(1–5)", "Return-visit satisfaction mean (1–5)"),
    "feedback_by_class": ("客户反馈分类", "Feedback by class"),
    "feedback_class": ("反馈分类", "Feedback class"),
    "say_old_backlog": ("账龄 {bucket} 的未结工单 {n} 件", "{n} open tickets aged {bucket}"),
}

#: Labels that name the deck's period: key → kind (month, quarter, year) → (zh, en).
_PERIOD_TEXT: dict[str, dict[str, tuple[str, str]]] = {
    "deck_overview": {
        "month": ("月度工作概述", "Monthly overview"),
        "quarter": ("季度工作概述", "Quarterly overview"),
        "year": ("年度工作概述", "Yearly overview"),
    },
    "rolling": {
        "month": ("近3个月均值(有数据{n}个月)", "3-month average ({n} months with data)"),
        "quarter": ("近3个季度均值(有数据{n}个季度)", "3-quarter average ({n} quarters with data)"),
        "year": ("近3年均值(有数据{n}年)", "3-year average ({n} years with data)"),
    },
    "rolling_one": {
        "month": ("近3个月均值(有数据1个月)", "3-month average (1 month with data)"),
        "quarter": ("近3个季度均值(有数据1个季度)", "3-quarter average (1 quarter with data)"),
        "year": ("近3年均值(有数据1年)", "3-year average (1 year with data)"),
    },
    "trend3": {
        "month": ("近三个月趋势", "Three-month trend"),
        "quarter": ("近三个季度趋势", "Three-quarter trend"),
        "year": ("近三年趋势", "Three-year trend"),
    },
    "actions_due": {
        "month": ("下月到期的改进措施", "Actions due next month"),
        "quarter": ("下季度到期的改进措施", "Actions due next quarter"),
        "year": ("明年到期的改进措施", "Actions due next year"),
    },
}


def check_lang(lang: str) -> str:
    """``lang`` when it is ``"zh"`` or ``"en"``; ``UnknownValue`` otherwise.

    Example:
        >>> check_lang("fr")
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: lang: 'fr' is not a known value; accepted: 'zh', 'en'
    """
    if lang not in LANGS:
        raise UnknownValue("lang", lang, LANGS)
    return lang


def text(key: str, lang: str) -> str:
    """The label ``key`` in ``lang``.

    Example:
        >>> text("top", "en")
        'TOP problem types'
    """
    zh, en = _TEXT[key]
    return zh if check_lang(lang) == "zh" else en


def period_text(key: str, kind: str, lang: str) -> str:
    """The label ``key`` for a deck of period ``kind`` (``month``, ``quarter`` or ``year``).

    Example:
        >>> period_text("deck_overview", "quarter", "zh"), period_text("actions_due", "year", "en")
        ('季度工作概述', 'Actions due next year')
    """
    by_kind = _PERIOD_TEXT[key]
    zh, en = by_kind.get(kind, by_kind["month"])
    return zh if check_lang(lang) == "zh" else en
