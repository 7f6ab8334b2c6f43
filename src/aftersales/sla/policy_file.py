"""The SLA policy file: a :class:`~aftersales.sla.policy_document.PolicyDocument` as TOML.

Operations staff edit the service promises in one TOML file, without code
(docs/sla.md, "Policies as data"; ``examples/sla_policy.toml``)::

    format = 1
    default = "standard"

    [[rules]]
    policy = "vip"
    label = "VIP contract"
    contracts = ["VIP-2026"]

    [policies.standard]
    calendar = "china"

    [[policies.standard.metrics]]
    name = "first_response"
    label_zh = "首次响应"
    label_en = "first response"
    starts = ["open_ticket"]
    stops = ["acknowledge", "resolve_on_first_contact"]
    targets = { urgent = "30m", important = "2h", general = "4h" }

:func:`load_policy_file` reads one strictly: an unknown key, a missing one
or a value out of its vocabulary raises
:class:`~aftersales.errors.PolicyFileRefused` listing every bad path of the
file at once. :func:`dump_policy_file` writes a document back, so that
``load_policy_file(dump_policy_file(document)) == document``. Imports the
document and its values.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy
    >>> from aftersales.sla.policy_document import document_of
    >>> document = document_of(SlaPolicy.default(WorkCalendar.always()), {"always": WorkCalendar.always()})
    >>> load_policy_file(dump_policy_file(document)) == document
    True
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.errors.policy_file import PolicyFileRefused
from aftersales.model.substatus import SubStatus
from aftersales.priority_levels import PriorityLevel, PriorityScale
from aftersales.sla.metrics import ReopenPolicy
from aftersales.sla.policy_document import MetricSpec, PolicyDocument, PolicySpec, TriggerSpec
from aftersales.sla.policy_values import (
    parse_target,
    parse_warn_level,
    target_text,
    warn_level_text,
)
from aftersales.sla.priority_rules_file import priority_rules_data, read_priority_rules
from aftersales.sla.selection import SlaRule
from aftersales.sla.trigger_filters import FILTER_KINDS, TriggerFilter
from aftersales.vocab import TicketStatus

__all__ = ["POLICY_FILE_FORMAT", "dump_policy_file", "load_policy_file"]

#: The version of the file format (the ``format`` key).
POLICY_FILE_FORMAT: Final = 1

_TOP: Final = ("format", "default", "priority", "substatuses", "policies", "rules")
_METRIC_REQUIRED: Final = ("name", "label_zh", "label_en", "starts", "stops", "targets")
_METRIC_OPTIONAL: Final = (
    "restarts",
    "resumes",
    "void",
    "pause_in",
    "categories",
    "warn_at",
    "reopen",
    "calendar",
)
_METRIC_FIELDS: Final[dict[str, Callable[[Any, str], Any]]] = {
    "name": check.identifier,
    "label_zh": check.text,
    "label_en": check.text,
    "reopen": check.member(ReopenPolicy),
    "calendar": check.text,
}
_STATUS: Final = check.member(TicketStatus)
_TRIGGER_LISTS: Final = ("starts", "stops", "restarts", "resumes", "void")
_RULE_CONDITIONS: Final = (
    "customer_tiers",
    "contracts",
    "ticket_types",
    "categories",
    "channels",
    "priorities",
)
_LEVEL_KEYS: Final = ("code", "label_zh", "label_en", "reports_as")
_SUBSTATUS_KEYS: Final = ("code", "label_zh", "label_en", "under")

Problems = list[tuple[str, str]]


def _quoted(keys: tuple[str, ...]) -> str:
    return ", ".join(repr(key) for key in keys)


def _table(
    value: object,
    path: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: Problems,
) -> dict[str, Any] | None:
    """``value`` as a table with exactly the keys allowed; ``None`` (and problems) otherwise."""
    if not isinstance(value, dict):
        problems.append(
            (path, f"{shown(value)} is not a table; accepted: a table of {_quoted(required)}")
        )
        return None
    accepted = (*required, *optional)
    for key in value:
        if key not in accepted:
            problems.append((_join(path, key), f"an unknown key; accepted: {_quoted(accepted)}"))
    for key in required:
        if key not in value:
            problems.append((_join(path, key), "missing; accepted: a value for it (required)"))
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _list(value: object, path: str, problems: Problems) -> list[Any]:
    if isinstance(value, list):
        return value
    problems.append((path, f'{shown(value)} is not a list; accepted: a list, e.g. ["a", "b"]'))
    return []


def _texts(value: object, path: str, problems: Problems) -> list[str]:
    found = []
    for index, item in enumerate(_list(value, path, problems)):
        if isinstance(item, str):
            found.append(item)
        else:
            problems.append((f"{path}[{index}]", f"{shown(item)} is not a text; accepted: a text"))
    return found


def _made(make: Callable[[], Any], path: str, problems: Problems) -> Any:
    """``make()``, or ``None`` with its problems under ``path``."""
    try:
        return make()
    except InvalidData as error:
        problems.extend(
            (_join(path, inner) if inner else path, message) for inner, message in error.problems
        )
        return None


def _read(reader: Callable[[Any, str], Any], value: object, path: str, problems: Problems) -> Any:
    """``reader(value, path)``, or ``None`` with its problems (their paths are ``path``'s)."""
    try:
        return reader(value, path)
    except InvalidData as error:
        problems.extend(error.problems)
        return None


def _filter(value: object, path: str, problems: Problems) -> TriggerFilter | None:
    kinds = _quoted(tuple(FILTER_KINDS))
    if isinstance(value, str) and value in FILTER_KINDS and value != "score_below":
        return TriggerFilter(value)
    if isinstance(value, dict) and list(value) == ["score_below"]:
        return _made(lambda: TriggerFilter("score_below", value["score_below"]), path, problems)  # type: ignore[no-any-return]
    message = f"{shown(value)} is not a filter; accepted: one of {kinds} ({{ score_below = 3 }})"
    problems.append((path, message))
    return None


def _trigger(
    value: object, path: str, problems: Problems, *, nested: bool = False
) -> TriggerSpec | None:
    if isinstance(value, str):
        return _made(lambda: TriggerSpec(value), path, problems)  # type: ignore[no-any-return]
    optional = ("when", "label") if nested else ("when", "label", "unless")
    table = _table(value, path, ("command",), optional, problems)
    if table is None:
        return None
    before = len(problems)
    when = None if "when" not in table else _filter(table["when"], _join(path, "when"), problems)
    unless = [
        _trigger(item, f"{path}.unless[{index}]", problems, nested=True)
        for index, item in enumerate(
            _list(table.get("unless", []), _join(path, "unless"), problems)
        )
    ]
    label = table.get("label", "")
    if len(problems) > before or "command" not in table:
        return None
    return _made(  # type: ignore[no-any-return]
        lambda: TriggerSpec(table["command"], when, label, unless=tuple(unless)),  # type: ignore[arg-type]
        path,
        problems,
    )


def _metric(value: object, path: str, problems: Problems) -> MetricSpec | None:
    table = _table(value, path, _METRIC_REQUIRED, _METRIC_OPTIONAL, problems)
    if table is None:
        return None
    before = len(problems)
    fields: dict[str, Any] = {
        key: _read(checked, table[key], _join(path, key), problems)
        for key, checked in _METRIC_FIELDS.items()
        if key in table
    }
    for key in _TRIGGER_LISTS:
        if key in table:
            items = _list(table[key], _join(path, key), problems)
            fields[key] = tuple(
                _trigger(item, f"{path}.{key}[{index}]", problems)
                for index, item in enumerate(items)
            )
    if "targets" in table:
        targets = table["targets"]
        if isinstance(targets, dict):
            fields["targets"] = {
                level: _read(parse_target, target, f"{path}.targets.{level}", problems)
                for level, target in targets.items()
            }
        else:
            message = f'{shown(targets)} is not a table; accepted: {{ urgent = "30m", … }}'
            problems.append((_join(path, "targets"), message))
    if "pause_in" in table:
        statuses = _list(table["pause_in"], _join(path, "pause_in"), problems)
        fields["pause_in"] = frozenset(
            _read(_STATUS, status, f"{path}.pause_in[{i}]", problems)
            for i, status in enumerate(statuses)
        )
    if "categories" in table:
        fields["categories"] = frozenset(
            _texts(table["categories"], _join(path, "categories"), problems)
        )
    if "warn_at" in table:
        levels = _list(table["warn_at"], _join(path, "warn_at"), problems)
        fields["warn_at"] = tuple(
            _read(parse_warn_level, level, f"{path}.warn_at[{i}]", problems)
            for i, level in enumerate(levels)
        )
    if len(problems) > before or any(key not in table for key in _METRIC_REQUIRED):
        return None
    return _made(lambda: MetricSpec(**fields), path, problems)  # type: ignore[no-any-return]


def _policy(name: str, value: object, problems: Problems) -> PolicySpec | None:
    path = f"policies.{name}"
    table = _table(value, path, ("calendar", "metrics"), (), problems)
    if table is None:
        return None
    before = len(problems)
    items = _list(table.get("metrics", []), _join(path, "metrics"), problems)
    metrics = [_metric(item, f"{path}.metrics[{i}]", problems) for i, item in enumerate(items)]
    calendar = table.get("calendar")
    if "calendar" in table and (not isinstance(calendar, str) or not calendar.strip()):
        message = f"{shown(calendar)} is not a calendar name; accepted: 'china', 'always' or a stored calendar's name"
        problems.append((_join(path, "calendar"), message))
    if len(problems) > before or "calendar" not in table or "metrics" not in table:
        return None
    return PolicySpec(calendar, metrics)  # type: ignore[arg-type]


def _substatus(value: object, path: str, problems: Problems) -> SubStatus | None:
    table = _table(value, path, _SUBSTATUS_KEYS, ("pauses",), problems)
    if table is None or any(key not in table for key in _SUBSTATUS_KEYS):
        return None
    pauses = frozenset(_texts(table.get("pauses", []), _join(path, "pauses"), problems))
    return _made(  # type: ignore[no-any-return]
        lambda: SubStatus(
            table["code"], table["label_zh"], table["label_en"], under=table["under"], pauses=pauses
        ),
        path,
        problems,
    )


def _level(value: object, path: str, problems: Problems) -> PriorityLevel | None:
    table = _table(value, path, _LEVEL_KEYS, (), problems)
    if table is None or any(key not in table for key in _LEVEL_KEYS):
        return None
    return _made(  # type: ignore[no-any-return]
        lambda: PriorityLevel(
            table["code"], table["label_zh"], table["label_en"], reports_as=table["reports_as"]
        ),
        path,
        problems,
    )


def _rule(value: object, path: str, problems: Problems) -> SlaRule | None:
    table = _table(value, path, ("policy",), ("label", *_RULE_CONDITIONS), problems)
    if table is None or "policy" not in table:
        return None
    conditions = {
        key: frozenset(_texts(table[key], _join(path, key), problems))
        for key in _RULE_CONDITIONS
        if key in table
    }
    label = table.get("label", "")
    return _made(lambda: SlaRule(table["policy"], label=label, **conditions), path, problems)  # type: ignore[no-any-return]


def _document(data: dict[str, Any]) -> PolicyDocument:
    problems: Problems = []
    _table(data, "", (), _TOP, problems)
    if data.get("format") != POLICY_FILE_FORMAT:
        message = (
            f"{shown(data.get('format'))} is not a known format; accepted: {POLICY_FILE_FORMAT}"
        )
        problems.append(
            ("format", "missing; accepted: format = 1" if "format" not in data else message)
        )
    default = data.get("default")
    if not isinstance(default, str):
        problems.append(
            (
                "default",
                f"{shown(default)} is not a policy name; accepted: the name of one of [policies]",
            )
        )
    fields: dict[str, Any] = {"default": default}
    policies = data.get("policies")
    if isinstance(policies, dict) and policies:
        fields["policies"] = {
            name: _policy(name, spec, problems) for name, spec in policies.items()
        }
    else:
        accepted = "a table of named policies, e.g. [policies.standard]"
        problems.append(
            (
                "policies",
                f"{shown(policies)}; accepted: {accepted}"
                if "policies" in data
                else f"missing; accepted: {accepted}",
            )
        )
    if "rules" in data:
        items = _list(data["rules"], "rules", problems)
        fields["rules"] = tuple(
            _rule(item, f"rules[{i}]", problems) for i, item in enumerate(items)
        )
    if "substatuses" in data:
        items = _list(data["substatuses"], "substatuses", problems)
        fields["substatuses"] = tuple(
            _substatus(item, f"substatuses[{i}]", problems) for i, item in enumerate(items)
        )
    if "priority" in data:
        priority = (
            _table(
                data["priority"],
                "priority",
                (),
                ("levels", "default", "rules", "fallback"),
                problems,
            )
            or {}
        )
        if "levels" in priority:
            items = _list(priority["levels"], "priority.levels", problems)
            fields["priority_levels"] = tuple(
                _level(item, f"priority.levels[{i}]", problems) for i, item in enumerate(items)
            )
        if "default" in priority:
            fields["default_priority"] = priority["default"]
            if not isinstance(priority["default"], str):
                problems.append(
                    (
                        "priority.default",
                        f"{shown(priority['default'])} is not a level code; accepted: a level of priority.levels",
                    )
                )
        fields["priority_rules"] = read_priority_rules(
            priority, _scale(fields.get("priority_levels")), problems
        )
    if problems:
        raise PolicyFileRefused.from_problems(problems)
    try:
        return PolicyDocument(**fields)
    except PolicyFileRefused:
        raise
    except InvalidData as error:
        raise PolicyFileRefused.from_problems(list(error.problems)) from None


def _scale(levels: tuple[PriorityLevel | None, ...] | None) -> PriorityScale | None:
    """The scale of the levels read (the seeds' without any); ``None`` when they are refused."""
    if levels is None:
        return PriorityScale.three_levels()
    try:
        return PriorityScale(levels)  # type: ignore[arg-type]
    except InvalidData:
        return None


def load_policy_file(source: str | os.PathLike[str]) -> PolicyDocument:
    """The document of a policy file: ``source`` is its TOML text, or a path to it.

    :class:`~aftersales.errors.PolicyFileRefused` lists every bad path.

    Example:
        >>> load_policy_file("format = 2\\ndefault = 7\\n[policies.standard]\\ncalendar = 'china'\\n")
        Traceback (most recent call last):
        ...
        aftersales.errors.policy_file.PolicyFileRefused: 3 invalid values:
          format: 2 is not a known format; accepted: 1
          default: 7 is not a policy name; accepted: the name of one of [policies]
          policies.standard.metrics: missing; accepted: a value for it (required)
    """
    where = "file"
    if isinstance(source, os.PathLike):
        where = str(source)
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            message = f"cannot be read ({error.__class__.__name__}); accepted: a UTF-8 TOML file"
            raise PolicyFileRefused(f"{where}: {message}", problems=[(where, message)]) from None
    elif isinstance(source, str):
        text = source
    else:
        message = f"{shown(source)} is not a text or a path; accepted: a TOML text or a path to one"
        raise PolicyFileRefused(f"source: {message}", problems=[("source", message)])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = f"not TOML ({error}); accepted: a TOML policy file (docs/sla.md)"
        raise PolicyFileRefused(f"{where}: {message}", problems=[(where, message)]) from None
    return _document(data)


_BARE_KEY: Final = re.compile(r"^[A-Za-z0-9_-]+$")


def _string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL must be escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _value(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Mapping):
        return (
            "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
            if value
            else "{}"
        )
    return "[" + ", ".join(_value(item) for item in value) + "]"


def _trigger_value(spec: TriggerSpec) -> Any:
    if spec.when is None and not spec.label and not spec.unless:
        return spec.command
    table: dict[str, Any] = {"command": spec.command}
    if spec.when is not None:
        table["when"] = (
            spec.when.kind if spec.when.value is None else {spec.when.kind: spec.when.value}
        )
    if spec.label:
        table["label"] = spec.label
    if spec.unless:
        table["unless"] = [_trigger_value(u) for u in spec.unless]
    return table


def _metric_lines(metric: MetricSpec) -> list[str]:
    fields: dict[str, Any] = {
        "name": metric.name,
        "label_zh": metric.label_zh,
        "label_en": metric.label_en,
    }
    for key in _TRIGGER_LISTS:
        triggers = getattr(metric, key)
        if triggers or key in ("starts", "stops"):
            fields[key] = [_trigger_value(t) for t in triggers]
    fields["targets"] = {level: target_text(t) for level, t in metric.targets.items()}
    if metric.pause_in:
        fields["pause_in"] = sorted(status.value for status in metric.pause_in)
    if metric.categories is not None:
        fields["categories"] = sorted(metric.categories)
    fields["warn_at"] = [warn_level_text(level) for level in metric.warn_at]
    fields["reopen"] = metric.reopen.value
    if metric.calendar is not None:
        fields["calendar"] = metric.calendar
    return [f"{key} = {_value(value)}" for key, value in fields.items()]


def dump_policy_file(document: PolicyDocument) -> str:
    """``document`` as a policy file's TOML text, which :func:`load_policy_file` reads back equal.

    A target or lead time must be whole seconds (the file's durations are).

    Example:
        >>> from aftersales.sla.metrics import default_metrics
        >>> metric = MetricSpec.of(default_metrics()[0])
        >>> text = dump_policy_file(PolicyDocument(
        ...     policies={"standard": PolicySpec("china", [metric])}, default="standard"))
        >>> print(text[text.index("[[policies.standard.metrics]]"):])
        [[policies.standard.metrics]]
        name = "first_response"
        label_zh = "首次响应"
        label_en = "first response"
        starts = ["open_ticket"]
        stops = ["acknowledge", "resolve_on_first_contact"]
        targets = { urgent = "30m", important = "2h", general = "4h" }
        warn_at = [0.5, 0.8]
        reopen = "continue"
        <BLANKLINE>
    """
    lines = [f"format = {POLICY_FILE_FORMAT}", f"default = {_string(document.default)}"]
    if not document.substatuses:
        lines.append("substatuses = []")
    lines += ["", "[priority]"]
    if document.default_priority is not None:
        lines.append(f"default = {_string(document.default_priority)}")
    fallback, priority_rules = (
        ({}, [])
        if document.priority_rules is None
        else priority_rules_data(document.priority_rules)
    )
    if fallback:
        lines.append(f"fallback = {_value(fallback)}")
    if fallback and not priority_rules:
        lines.append("rules = []")  # no rules, not the default ones
    for level in document.priority_levels:
        lines += ["", "[[priority.levels]]"]
        lines += [f"{k} = {_value(str(getattr(level, k)))}" for k in _LEVEL_KEYS]
    for row in priority_rules:
        lines += ["", "[[priority.rules]]", *(f"{k} = {_value(v)}" for k, v in row.items())]
    for item in document.substatuses:
        lines += ["", "[[substatuses]]"]
        lines += [f"{k} = {_value(str(getattr(item, k)))}" for k in _SUBSTATUS_KEYS]
        lines.append(f"pauses = {_value(sorted(item.pauses))}")
    for rule in document.rules:
        lines += ["", "[[rules]]", f"policy = {_string(rule.policy)}"]
        if rule.label:
            lines.append(f"label = {_string(rule.label)}")
        for key in _RULE_CONDITIONS:
            accepted = getattr(rule, key)
            if accepted is not None:
                lines.append(f"{key} = {_value(sorted(accepted))}")
    for name, spec in document.policies.items():
        lines += ["", f"[policies.{_key(name)}]", f"calendar = {_string(spec.calendar)}"]
        for metric in spec.metrics:
            lines += ["", f"[[policies.{_key(name)}.metrics]]", *_metric_lines(metric)]
    return "\n".join(lines) + "\n"
