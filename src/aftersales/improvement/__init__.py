"""Closing the loop (根因分析与改进): root causes, improvement actions, effect review.

* :class:`FiveWhys` and :class:`Fishbone` (人 机 料 法 环 测) for the analysis;
* :class:`RootCause`, the root-cause record naming the responsible department
  and the tickets it explains, and :func:`root_cause_rows` for the monthly
  report's table by department;
* :class:`ImprovementAction` with its own lifecycle (:class:`ActionLifecycle`,
  compiled to :data:`ACTION_TRANSITIONS`), weekly progress notes,
  :func:`overdue` and :func:`lagging` for the weekly report;
* :func:`effect_review` / :func:`review_action`: satisfaction and volume of the
  problem type before vs after.

Root causes and actions are stored through the port
:class:`aftersales.storage.ImprovementStore` (in memory:
:class:`aftersales.storage.MemoryImprovementStore`); the old names here warn.

Example:
    >>> from aftersales.improvement import FishboneCategory, ActionType, ActionStatus
    >>> FishboneCategory.MEASUREMENT.label_zh, ActionType.PROCESS_CHANGE.label_zh
    ('测', '流程优化')
"""

from aftersales._lazy import lazy_attributes
from aftersales.errors import InvalidActionTransition
from aftersales.improvement.actions import (
    ActionType,
    ImprovementAction,
    LaggingAction,
    LagReason,
    ProgressNote,
    StatusChange,
    lagging,
    overdue,
)
from aftersales.improvement.analysis import (
    Fishbone,
    FishboneCategory,
    FishboneCause,
    FiveWhys,
    RootCause,
    RootCauseRow,
    Why,
    root_cause_rows,
)
from aftersales.improvement.lifecycle import (
    ACTION_TRANSITIONS,
    ActionLifecycle,
    ActionStatus,
    ActionTransition,
    ActionTransitionTable,
)
from aftersales.improvement.review import (
    EffectReview,
    PeriodFigures,
    ReviewWindow,
    effect_review,
    review_action,
)

__all__ = [
    "ACTION_TRANSITIONS",
    "ActionLifecycle",
    "ActionStatus",
    "ActionTransition",
    "ActionTransitionTable",
    "ActionType",
    "EffectReview",
    "Fishbone",
    "FishboneCategory",
    "FishboneCause",
    "FiveWhys",
    "ImprovementAction",
    "InvalidActionTransition",
    "LagReason",
    "LaggingAction",
    "PeriodFigures",
    "ProgressNote",
    "ReviewWindow",
    "RootCause",
    "RootCauseRow",
    "StatusChange",
    "Why",
    "effect_review",
    "lagging",
    "overdue",
    "review_action",
    "root_cause_rows",
]

__getattr__ = lazy_attributes(
    __name__,
    {},
    deprecated={
        "ImprovementStore": "aftersales.storage.ports:ImprovementStore",
        "MemoryImprovementStore": "aftersales.storage.memory:MemoryImprovementStore",
    },
)
