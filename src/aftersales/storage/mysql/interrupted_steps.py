"""A schema step MySQL left half-done: found from its first statement, refused with a clear message.

MySQL and MariaDB commit each DDL statement at once, so a schema step (several
statements) cannot be rolled back: when one is interrupted (the process
killed, a statement failing), the tables or columns made before the
interruption stay while ``aftersales_schema`` does not record the step, and
running it again would fail on the first of them. Each statement is atomic
and a step runs its statements in order, so the step was begun exactly when
its *first* statement's effect is in the database: :func:`first_effect` tells
what that effect is and :func:`begun_step_problem` looks for it. The store
then refuses to go on instead of applying the rest onto an unknown state.

Example:
    >>> first_effect("CREATE TABLE surveys (id VARCHAR(64) PRIMARY KEY)")
    ('table', 'surveys', None, True)
    >>> first_effect("DROP INDEX tickets_open_due ON tickets")
    ('index', 'tickets', 'tickets_open_due', False)
"""

from __future__ import annotations

import re
from typing import Any, Final, Literal

from aftersales.storage._sql.schema import SCHEMA_TABLE, Migration

__all__ = ["begun_step_problem", "first_effect"]

Effect = tuple[Literal["table", "column", "index"], str, str | None, bool]

_PATTERNS: Final = (
    (re.compile(r"^CREATE TABLE (\w+)"), "table", True),
    (re.compile(r"^ALTER TABLE (\w+) ADD COLUMN (\w+)"), "column", True),
    (re.compile(r"^CREATE (?:UNIQUE )?INDEX (\w+) ON (\w+)"), "index", True),
    (re.compile(r"^DROP INDEX (\w+) ON (\w+)"), "index", False),
)

_PRESENT: Final = {
    "table": "SELECT count(*) FROM information_schema.tables"
    " WHERE table_schema = DATABASE() AND table_name = ?",
    "column": "SELECT count(*) FROM information_schema.columns"
    " WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?",
    "index": "SELECT count(*) FROM information_schema.statistics"
    " WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?",
}


def first_effect(statement: str) -> Effect:
    """What ``statement`` leaves in the database: (kind, table, column or index, present after).

    Raises ``ValueError`` for a statement whose effect cannot be looked up (a
    step must begin with one that can: the MySQL migrations' test checks it).

    Example:
        >>> first_effect("ALTER TABLE tickets ADD COLUMN snapshot LONGTEXT")
        ('column', 'tickets', 'snapshot', True)
    """
    for pattern, kind, present in _PATTERNS:
        if found := pattern.match(statement):
            if kind == "table":
                return ("table", found.group(1), None, present)
            if kind == "column":
                return ("column", found.group(1), found.group(2), present)
            return ("index", found.group(2), found.group(1), present)
    raise ValueError(f"no effect known for {statement[:60]!r}")


def begun_step_problem(cur: Any, where: str, migration: Migration) -> str | None:
    """The message refusing ``migration`` when its first statement has already taken effect.

    ``cur`` runs the shared SQL (``?`` placeholders) on a MySQL connection.
    """
    kind, table, name, present_after = first_effect(migration.statements[0])
    cur.execute(_PRESENT[kind], (table,) if name is None else (table, name))
    present = int(cur.fetchone()[0]) > 0
    if present != present_after:
        return None
    shown = {"table": f"table {table}", "column": f"column {table}.{name}"}.get(
        kind, f"index {name} on {table}"
    )
    state = "exists" if present_after else "is missing"
    return (
        f"{where}: schema step {migration.version} was begun and not finished ({shown} {state},"
        f" but {SCHEMA_TABLE} does not record step {migration.version}): MySQL commits each"
        " DDL statement at once, so an interrupted step cannot be rolled back or run again;"
        " accepted: a database restored from the backup taken before the upgrade, or one where"
        f" what step {migration.version} made was removed by hand (see docs/storage.md,"
        " 'Migrating with Alembic'), then `aftersales db upgrade` again"
    )
