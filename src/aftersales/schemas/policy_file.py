"""The JSON Schema of an SLA policy file (its TOML read as JSON values): ``files/sla_policy``.

Generated from the vocabularies the loader checks against (the lifecycle's
commands, the trigger filters, ticket statuses, priorities, reopen
policies, the intake facts of the priority rules), so an editor validating a policy file as it is typed refuses what
:func:`~aftersales.sla.policy_file.load_policy_file` refuses: unknown keys,
missing ones, values out of a vocabulary, durations and targets that do not
read. What depends on the whole file (a rule naming a declared policy, a
target's or priority rule's level being one of the declared levels, a
priority rule repeating an earlier condition, a day count's range) is the
loader's alone. Imports the domain only.

Example:
    >>> schema = policy_file_schema()
    >>> schema["$id"], schema["required"]
    ('urn:aftersales:schema:v1:files/sla_policy', ['format', 'default', 'policies'])
"""

from __future__ import annotations

from typing import Any, Final

from aftersales.lifecycle import TRANSITIONS
from aftersales.priority_table import COMPLAINT_THRESHOLD, INTAKE_CONDITIONS
from aftersales.schemas.generate import SchemaBuilder
from aftersales.sla.metrics import ReopenPolicy
from aftersales.sla.policy_file import POLICY_FILE_FORMAT
from aftersales.sla.trigger_filters import FILTER_KINDS
from aftersales.vocab import Priority, TicketStatus

__all__ = ["POLICY_FILE_SCHEMA_NAME", "policy_file_schema"]

#: The policy file's schema in the catalog.
POLICY_FILE_SCHEMA_NAME: Final = "files/sla_policy"

_ID: Final = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}$"}
_TEXT: Final = {"type": "string", "pattern": r"\S", "maxLength": 10_000}
_OPTIONAL_TEXT: Final = {"type": "string", "maxLength": 10_000}
_DURATION: Final = r"(?=[^ ]*[1-9])(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?"
_CODES: Final = {"type": "array", "items": _ID, "minItems": 1}


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _trigger(*, nested: bool) -> dict[str, Any]:
    commands = {"enum": ["open_ticket", *TRANSITIONS.commands]}
    bare = [kind for kind in FILTER_KINDS if kind != "score_below"]
    when = {
        "anyOf": [
            {"enum": bare},
            _object(
                {"score_below": {"type": "integer", "minimum": 1, "maximum": 5}}, ["score_below"]
            ),
        ]
    }
    properties: dict[str, Any] = {"command": commands, "when": when, "label": _OPTIONAL_TEXT}
    if not nested:
        properties["unless"] = {"type": "array", "items": {"$ref": "#/$defs/NestedTrigger"}}
    return {"anyOf": [commands, _object(properties, ["command"])]}


def _metric() -> dict[str, Any]:
    triggers = {"type": "array", "items": {"$ref": "#/$defs/Trigger"}}
    target = {
        "type": "string",
        "pattern": rf"^(?:[1-9]\d* working days?|{_DURATION}|{_DURATION} calendar)$",
    }
    level = {
        "anyOf": [
            {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            {"type": "string", "pattern": f"^{_DURATION}$"},
        ]
    }
    return _object(
        {
            "name": _ID,
            "label_zh": _TEXT,
            "label_en": _TEXT,
            "starts": {**triggers, "minItems": 1},
            "stops": {**triggers, "minItems": 1},
            "restarts": triggers,
            "resumes": triggers,
            "void": triggers,
            "targets": {"type": "object", "additionalProperties": target, "propertyNames": _ID},
            "pause_in": {"type": "array", "items": {"enum": [s.value for s in TicketStatus]}},
            "categories": {"type": "array", "items": _TEXT},
            "warn_at": {"type": "array", "items": level},
            "reopen": {"enum": [p.value for p in ReopenPolicy]},
            "calendar": _TEXT,
        },
        ["name", "label_zh", "label_en", "starts", "stops", "targets"],
    )


def policy_file_schema() -> dict[str, Any]:
    """The schema of a policy file (draft 2020-12, self-contained).

    Example:
        >>> policy_file_schema()["$defs"]["Metric"]["properties"]["reopen"]
        {'enum': ['continue', 'restart', 'new_cycle']}
    """
    builder = SchemaBuilder()
    builder.defs.update(
        {
            "Trigger": _trigger(nested=False),
            "NestedTrigger": _trigger(nested=True),
            "Metric": _metric(),
            "Policy": _object(
                {
                    "calendar": _TEXT,
                    "metrics": {"type": "array", "items": {"$ref": "#/$defs/Metric"}},
                },
                ["calendar", "metrics"],
            ),
        }
    )
    level = _object(
        {
            "code": _ID,
            "label_zh": _TEXT,
            "label_en": _TEXT,
            "reports_as": {"enum": [p.value for p in Priority]},
        },
        ["code", "label_zh", "label_en", "reports_as"],
    )
    substatus = _object(
        {
            "code": _ID,
            "label_zh": _TEXT,
            "label_en": _TEXT,
            "under": {"enum": [s.value for s in TicketStatus if s.is_open]},
            "pauses": {"type": "array", "items": _TEXT},
        },
        ["code", "label_zh", "label_en", "under"],
    )
    conditions = (
        "customer_tiers",
        "contracts",
        "ticket_types",
        "categories",
        "channels",
        "priorities",
    )
    rule = _object(
        {"policy": _ID, "label": _OPTIONAL_TEXT, **dict.fromkeys(conditions, _CODES)},
        ["policy"],
    )
    when = {
        "anyOf": [
            {"enum": list(INTAKE_CONDITIONS)},
            {"type": "string", "pattern": rf"^{COMPLAINT_THRESHOLD} >= [1-9]\d{{0,9}}$"},
        ]
    }
    priority_rule = _object(
        {"when": when, "priority": _TEXT, "reason": _TEXT}, ["when", "priority", "reason"]
    )
    body = _object(
        {
            "format": {"const": POLICY_FILE_FORMAT},
            "default": _ID,
            "priority": _object(
                {
                    "default": _ID,
                    "levels": {"type": "array", "items": level, "minItems": 1},
                    "fallback": _object(
                        {"priority": _TEXT, "reason": _TEXT}, ["priority", "reason"]
                    ),
                    "rules": {"type": "array", "items": priority_rule},
                },
                [],
            ),
            "substatuses": {"type": "array", "items": substatus},
            "rules": {"type": "array", "items": rule},
            "policies": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": _ID,
                "additionalProperties": {"$ref": "#/$defs/Policy"},
            },
        },
        ["format", "default", "policies"],
    )
    return builder.finished(POLICY_FILE_SCHEMA_NAME, {"title": "SLA policy file", **body})
