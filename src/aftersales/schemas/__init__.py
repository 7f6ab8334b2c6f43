"""JSON Schemas (draft 2020-12) of the command payloads, events and views, generated from the model.

``aftersales schema --out DIR`` writes them as files; :func:`schema_catalog`
gives them in Python (for an OpenAPI document, say: every schema is
self-contained, with its own ``$defs`` and a stable ``$id``).
:func:`policy_file_schema` is the schema of an SLA policy file
(``files/sla_policy``); :func:`attributes_schema` is the schema of the custom attributes one store
declares (``aftersales attributes schema``).

Example:
    >>> from aftersales.service.commands import COMMANDS
    >>> command_schema(COMMANDS["add_note"])["required"]
    ['text']
"""

from aftersales.schemas.attributes import attribute_value_schema, attributes_schema
from aftersales.schemas.catalog import (
    CommandDeclaration,
    command_schema,
    event_schema,
    schema_catalog,
    view_schema,
)
from aftersales.schemas.generate import DIALECT, SCHEMA_ID_BASE, SchemaBuilder, schema_id
from aftersales.schemas.policy_file import policy_file_schema

__all__ = [
    "DIALECT",
    "SCHEMA_ID_BASE",
    "CommandDeclaration",
    "SchemaBuilder",
    "attribute_value_schema",
    "attributes_schema",
    "command_schema",
    "event_schema",
    "policy_file_schema",
    "schema_catalog",
    "schema_id",
    "view_schema",
]
