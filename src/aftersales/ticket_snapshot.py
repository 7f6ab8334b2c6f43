"""The snapshot of a folded ticket: its fields without the history, as a store keeps them.

A store writes, beside a ticket's events and in the same transaction, the
snapshot of the ticket those events fold into: every field of
:class:`~aftersales.model.fields.TicketFields` in its stored form (as
:func:`~aftersales.serialization.to_dict` writes them, here by
:func:`~aftersales.serialization_trusted.trusted_encoder`), the status after
each event (``Ticket.statuses``: their codes in one text, separated by
spaces), and ``snapshot_version``, the version of this format. Reading a
ticket back then takes its snapshot and its events, decoded on the trusted
path (:mod:`aftersales.serialization_trusted`), and replays nothing. The events stay the source of truth: ``Ticket.replay(history)``
equals the ticket built from the snapshot, which the stores' ``check_integrity()``
verifies for every ticket. A snapshot of a format this library does not know
(written by a later version) raises :class:`~aftersales.UnsupportedSchemaVersion`,
and the store replays the events instead.

Example:
    >>> from aftersales.serialization import parse_json
    >>> from aftersales.testing.samples import sample_ticket
    >>> ticket = sample_ticket()
    >>> text = snapshot_json(ticket)
    >>> data = parse_json(text)
    >>> data["snapshot_version"], data["status"], "history" in data
    (1, 'closed', False)
    >>> ticket_from_snapshot(data, ticket.history) == ticket
    True
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final

from aftersales.errors import AftersalesError, InvalidData, UnsupportedSchemaVersion
from aftersales.model.events import TicketEvent
from aftersales.model.pending_history import PendingHistory
from aftersales.model.ticket import Ticket
from aftersales.serialization_trusted import malformed, trusted_builder, trusted_encoder
from aftersales.trusted_text import members_writer
from aftersales.vocab import TicketStatus

__all__ = ["SNAPSHOT_VERSION", "snapshot_json", "snapshot_of", "ticket_from_snapshot"]

#: The version of the snapshot format this library writes (and the only one it reads).
SNAPSHOT_VERSION: Final = 1

_status: Callable[[str], TicketStatus] = TicketStatus._value2member_map_.__getitem__  # type: ignore[assignment]
#: Status paths read so far (tickets follow few paths): their text and their statuses.
_PATHS: Final[dict[str, tuple[TicketStatus, ...]]] = {}
_MOST_PATHS: Final = 4096
_put = object.__setattr__
_MALFORMED: Final = (KeyError, TypeError, ValueError, AttributeError, IndexError)


def snapshot_of(ticket: Ticket) -> dict[str, Any]:
    """The snapshot of ``ticket`` as plain data: its fields, its statuses, the format's version.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> data = snapshot_of(sample_ticket())
        >>> data["version"], data["statuses"][:28]
        (9, 'received analysing analysing')
    """
    data: dict[str, Any] = {"snapshot_version": SNAPSHOT_VERSION}
    data.update(_encode(ticket))
    data["statuses"] = " ".join([status.value for status in ticket.statuses])
    return data


def snapshot_json(ticket: Ticket) -> str:
    """:func:`snapshot_of` as JSON text (UTF-8 characters kept as they are), what a store writes.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> snapshot_json(sample_ticket())[:48]
        '{"snapshot_version": 1, "id": "T202405001", "ver'
    """
    statuses = " ".join([status.value for status in ticket.statuses])
    return f'{_HEAD}{_members(ticket)}, "statuses": {_string(statuses)}}}'


def ticket_from_snapshot(
    data: Any, history: tuple[TicketEvent, ...] | Callable[[], tuple[TicketEvent, ...]]
) -> Ticket:
    """The ticket of a snapshot read back, with ``history``: its events, or a function decoding them.

    Built on the trusted path (nothing validated, nothing replayed); call it
    under the store's vocabulary. With a function, the history stays
    undecoded until ``ticket.history`` is first read (see
    :mod:`aftersales.model.pending_history`). Raises
    :class:`~aftersales.UnsupportedSchemaVersion` for a snapshot of another
    format and :class:`~aftersales.InvalidData` for one it cannot build a
    ticket from.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> later = ticket_from_snapshot(snapshot_of(ticket), lambda: ticket.history)
        >>> later.statuses == ticket.statuses, later == ticket
        (True, True)
        >>> ticket_from_snapshot({"snapshot_version": 2}, ())
        Traceback (most recent call last):
        ...
        aftersales.errors.UnsupportedSchemaVersion: snapshot_version: schema version 2 is not supported; accepted: 1
    """
    if data.__class__ is not dict:
        message = f"{type(data).__name__} is not an object; accepted: a snapshot object"
        raise InvalidData(f"$: {message}", problems=[("$", message)])
    version = data.get("snapshot_version")
    if version.__class__ is not int or version != SNAPSHOT_VERSION:
        raise UnsupportedSchemaVersion("snapshot_version", version, supported=(SNAPSHOT_VERSION,))
    try:
        ticket = _build(data)
        _put(ticket, "statuses", _path(data["statuses"]))
    except AftersalesError:
        raise
    except _MALFORMED as error:
        raise malformed("snapshot", error) from error
    _put(ticket, "history", history if history.__class__ is tuple else PendingHistory(history))  # type: ignore[arg-type]
    return ticket


def _path(text: str) -> tuple[TicketStatus, ...]:
    """The statuses of a snapshot's ``statuses`` text (codes separated by spaces)."""
    known = _PATHS.get(text)
    if known is None:
        known = tuple([_status(code) for code in text.split(" ")])
        if len(_PATHS) >= _MOST_PATHS:
            _PATHS.clear()
        _PATHS[text] = known
    return known


_build: Final = trusted_builder(Ticket, skip=("history", "statuses"))
_encode: Final = trusted_encoder(Ticket, skip=("history", "statuses"))
#: The snapshot's JSON text, written directly (:mod:`aftersales.trusted_text`): what
#: ``json.dumps(snapshot_of(ticket), ensure_ascii=False)`` writes, character for character.
_members: Final = members_writer(Ticket, skip=("history", "statuses"))
_HEAD: Final = f'{{"snapshot_version": {SNAPSHOT_VERSION}, '
_string: Final[Callable[[str], str]] = json.encoder.encode_basestring
