"""The SQL adapters' custom attributes: the declarations, and each ticket's values to query by.

Private: :class:`AttributeTables` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. Migration 16 adds two tables:

* ``attribute_definitions (name, position, data)``: one row per declared
  attribute, ``data`` its JSON (:func:`aftersales.serialization.to_json`),
  ``position`` the order the names were first declared in;
* ``ticket_attributes (ticket_id, name, value_text)``: one row per value of a
  ticket's attributes (one per code of a multiple choice), ``value_text`` as
  :func:`~aftersales.model.attribute_values.value_texts` writes it, with the
  index ``ticket_attributes_value (name, value_text, ticket_id)`` that answers
  ``TicketQuery(attributes=...)``.

A save inserts a new ticket's rows, and replaces a stored ticket's rows only
when the events saved set attributes (most saves touch nothing here), in the
save's transaction, so they never disagree with the events. They depend on
the events alone, so ``projections rebuild`` has nothing to recompute. ``check_integrity()`` compares the rows with each
ticket's snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeVar

from aftersales.errors import StorageError
from aftersales.model.attribute_values import value_texts
from aftersales.model.attributes import AttributeDefinition, AttributeDefinitions
from aftersales.model.events import AttributesSet
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.serialization import parse_json, to_json
from aftersales.storage._sql.integrity import row_name
from aftersales.storage._sql.schema import insert_sql
from aftersales.storage.ports.attributes import redeclared

__all__ = ["ATTRIBUTES_VERSION", "AttributeTables", "attribute_filters", "attribute_rows"]

#: The schema version that brings ``attribute_definitions`` and ``ticket_attributes``.
ATTRIBUTES_VERSION = 16

T = TypeVar("T")

_ROW_COLUMNS = ("ticket_id", "name", "value_text")
#: How many ids one ``DELETE … IN (…)`` names.
_CHUNK = 500


def attribute_rows(ticket: Ticket) -> list[tuple[str, str, str]]:
    """The ``ticket_attributes`` rows of ``ticket``: ``(ticket_id, name, value_text)``, sorted.

    Example:
        >>> import attrs
        >>> from aftersales.model import AttributeValues
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = attrs.evolve(sample_ticket("T1"),
        ...                       attributes=AttributeValues({"parts": ["fan", "board"]}))
        >>> attribute_rows(ticket)
        [('T1', 'parts', 'board'), ('T1', 'parts', 'fan')]
    """
    return [
        (ticket.id, name, text)
        for name, value in ticket.attributes.items()
        for text in value_texts(value)
    ]


def attribute_filters(query: TicketQuery) -> tuple[list[str], list[Any]]:
    """The ``WHERE`` terms of ``query.attributes`` (``?`` placeholders) and their parameters.

    Example:
        >>> attribute_filters(TicketQuery(attributes={"onsite": True}))
        (['tickets.id IN (SELECT ticket_id FROM ticket_attributes WHERE name = ? AND value_text = ?)'], ['onsite', 'true'])
    """
    clauses: list[str] = []
    params: list[Any] = []
    for name, text in query.attributes:
        clauses.append(
            "tickets.id IN (SELECT ticket_id FROM ticket_attributes"
            " WHERE name = ? AND value_text = ?)"
        )
        params += [name, text]
    return clauses, params


class AttributeTables:
    """:class:`~aftersales.storage.ports.AttributeDefinitionStore` and the rows of ticket values.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> store = SQLiteStore(":memory:")
        >>> store.declare_attribute(AttributeDefinition(
        ...     "warranty_type", "保修类型", "Warranty type", kind="choice",
        ...     choices=[("in_warranty", "保内", "In warranty")]))
        >>> store.attribute_definitions().get("warranty_type").codes
        ('in_warranty',)
    """

    where: str = "store"

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    if TYPE_CHECKING:

        def _read_as(self, cls: type[T], where: str, data: Any) -> T:
            """The record tables' decoder (:class:`~aftersales.storage._sql.records.RecordTables`)."""
            ...

    # -- the declarations --------------------------------------------------------------------

    def declare_attribute(self, definition: AttributeDefinition) -> None:
        """See :meth:`~aftersales.storage.ports.AttributeDefinitionStore.declare_attribute`."""
        with self._writing() as cur:
            declared, position = redeclared(self._definitions(cur), definition)
            found = declared.get(definition.name)
            cur.execute(
                self._sql("DELETE FROM attribute_definitions WHERE name = ?"), (found.name,)
            )
            cur.execute(
                self._sql(insert_sql("attribute_definitions", ("name", "position", "data"))),
                (found.name, position, to_json(found)),
            )

    def attribute_definitions(self) -> AttributeDefinitions:
        """See :meth:`~aftersales.storage.ports.AttributeDefinitionStore.attribute_definitions`."""
        with self._reading() as cur:
            return self._definitions(cur)

    def _definitions(self, cur: Any) -> AttributeDefinitions:
        cur.execute("SELECT name, data FROM attribute_definitions ORDER BY position")
        rows = cur.fetchall()
        return AttributeDefinitions(self._decode_definition(name, data) for name, data in rows)

    def _decode_definition(self, name: str, data: Any) -> AttributeDefinition:
        where = row_name("attribute_definitions", (name,), "name")
        definition = self._read_as(AttributeDefinition, where, data)
        if definition.name != name:
            raise StorageError(
                f"{where}: holds the attribute {definition.name!r};"
                " accepted: the declaration of the row's own name"
            )
        return definition

    # -- the rows of a save ------------------------------------------------------------------

    def _write_attributes(self, cur: Any, saved: Sequence[tuple[Ticket, int]]) -> None:
        """Keep the ``ticket_attributes`` rows of the tickets ``saved`` (each with the version
        it was stored at): a new ticket's rows inserted, a stored one's replaced when the
        events saved set attributes."""
        replaced: list[str] = []
        rows: list[tuple[str, str, str]] = []
        for ticket, version in saved:
            if version == 0:
                rows += attribute_rows(ticket)
            elif any(isinstance(event, AttributesSet) for event in ticket.history[version:]):
                replaced.append(ticket.id)
                rows += attribute_rows(ticket)
        for start in range(0, len(replaced), _CHUNK):
            ids = replaced[start : start + _CHUNK]
            marks = ", ".join("?" * len(ids))
            cur.execute(
                self._sql(f"DELETE FROM ticket_attributes WHERE ticket_id IN ({marks})"), ids
            )
        if rows:
            cur.executemany(self._sql(insert_sql("ticket_attributes", _ROW_COLUMNS)), rows)

    # -- the integrity check ---------------------------------------------------------------

    def _attribute_problems(self) -> list[str]:
        """Unreadable declarations, and each ticket whose rows disagree with its snapshot."""
        problems: list[str] = []
        with self._reading() as cur:
            cur.execute("SELECT name, data FROM attribute_definitions ORDER BY position")
            definitions = cur.fetchall()
            cur.execute("SELECT ticket_id, name, value_text FROM ticket_attributes")
            stored: dict[str, set[tuple[str, str]]] = {}
            for ticket_id, name, text in cur.fetchall():
                stored.setdefault(ticket_id, set()).add((name, text))
            cur.execute("SELECT id, snapshot FROM tickets ORDER BY id")
            snapshots = cur.fetchall()
        for name, data in definitions:
            try:
                self._decode_definition(name, data)
            except StorageError as error:
                problems.append(str(error))
        for ticket_id, snapshot in snapshots:
            expected = _snapshot_rows(snapshot)
            found = stored.pop(ticket_id, set())
            if expected is not None and found != expected:
                problems.append(
                    f"ticket_attributes rows of ticket {ticket_id!r}: {sorted(found)}"
                    f" but its attributes give {sorted(expected)}"
                )
        problems += [f"ticket_attributes rows of missing ticket {key!r}" for key in sorted(stored)]
        return problems


def _snapshot_rows(snapshot: Any) -> set[tuple[str, str]] | None:
    """The ``(name, value_text)`` rows a snapshot's attributes give (``None``: unreadable)."""
    try:
        data = parse_json(snapshot)
        values = data.get("attributes", {})
        return {
            (name, text)
            for name, value in values.items()
            for text in value_texts(tuple(value) if isinstance(value, list) else value)
        }
    except Exception:  # an unreadable snapshot is named by the tickets' own check
        return None
