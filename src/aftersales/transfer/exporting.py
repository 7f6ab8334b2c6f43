"""Exporting tickets as the follow-up template: contacts masked, or revealed with a recorded reveal.

:func:`export_records` writes every ticket of a store (or those a
:class:`~aftersales.model.query.TicketQuery` selects) as one row of the
template's columns (:data:`~aftersales.transfer.template.TEMPLATE`), under
Chinese or English headings, to a ``.csv`` or ``.xlsx`` file, in a form the
import reads back to the same cells. Contacts are masked by the process's
masking policy (``138****5678``). With ``reveal=``, each ticket's contact is
revealed through the host's access policy exactly as
:meth:`ServiceDesk.reveal_contact <aftersales.ServiceDesk.reveal_contact>`
does it: every reveal is decided first (a refusal raises
:class:`~aftersales.errors.AccessDenied` and records nothing), then all are
recorded, as ``ContactRevealed`` events in the tickets' histories, in one
bulk write, and only then is the file written. A cancelled ticket's contact
cannot be revealed and stays masked. The rows show the tickets as they were
before the reveal (its event is an audit record, not a change of the record's
更新时间). A reveal is recorded at the desk's now, or at the ticket's last event
when that lies later (a history never goes back in time).

Example:
    >>> import tempfile, pathlib
    >>> from aftersales import ServiceDesk
    >>> from aftersales.testing.samples import sample_ticket
    >>> from aftersales.views import AllowedViewers
    >>> desk = ServiceDesk()
    >>> desk.store.save(sample_ticket("T1"), expected_version=0)
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> export_records(desk, file).masked
    1
    >>> "138****5678" in file.read_text(encoding="utf-8-sig")
    True
    >>> request = RevealRequest(by="王经理", purpose="迁移到新系统", access=AllowedViewers({"王经理"}))
    >>> export_records(desk, file, reveal=request).revealed, desk.history("T1")[-1].purpose
    (1, '迁移到新系统')
"""

from __future__ import annotations

from pathlib import Path

import attrs

from aftersales.model.customer import Contact, MaskedContact
from aftersales.model.masking import MaskingPolicy, default_masking
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.service.attribute_arguments import declared_attributes
from aftersales.service.contact_access import contact_reveal
from aftersales.service.desk import ServiceDesk
from aftersales.storage.ports import Save, TicketStore
from aftersales.transfer.attributes import with_attribute_columns
from aftersales.transfer.columns import Columns, WriteContext
from aftersales.transfer.importing import DEFAULT_TZ
from aftersales.transfer.reading import file_format
from aftersales.transfer.template import TEMPLATE
from aftersales.transfer.writing import write_rows
from aftersales.views import ContactAccess
from aftersales.vocab import TicketStatus

__all__ = ["ExportResult", "RevealRequest", "export_records"]


@attrs.frozen(slots=True)
class RevealRequest:
    """Who asks to see the contacts unmasked, why, and the host's policy that decides.

    Example:
        >>> from aftersales.views import AllowedViewers
        >>> RevealRequest("王经理", "迁移", AllowedViewers({"王经理"})).purpose
        '迁移'
    """

    by: str
    purpose: str
    access: ContactAccess


@attrs.frozen(slots=True)
class ExportResult:
    """What an export wrote: the file, its format, how many rows, contacts revealed and masked.

    Example:
        >>> ExportResult("out.csv", "csv", 0, 0, 0).rows
        0
    """

    path: str
    format: str
    rows: int
    revealed: int
    masked: int


def export_records(
    source: ServiceDesk | TicketStore,
    path: str | Path,
    *,
    format: str | None = None,
    query: TicketQuery | None = None,
    reveal: RevealRequest | None = None,
    lang: str = "zh",
    tz: str = DEFAULT_TZ,
    masking: MaskingPolicy | None = None,
    columns: Columns = TEMPLATE,
) -> ExportResult:
    """Write the tickets of the desk's store (or the store given) as template rows to ``path``.

    ``format`` is ``csv`` or ``xlsx`` (default: the file's suffix); ``query``
    selects the tickets (default: all, in the order received); ``lang`` the headings
    (``zh`` or ``en``); ``tz`` the zone of the local times written;
    ``masking`` the policy of the masked contacts (default: the process's).
    One column per custom attribute the store declares follows the
    template's, under its label in ``lang`` (see :mod:`aftersales.transfer.attributes`).
    """
    desk = source if isinstance(source, ServiceDesk) else ServiceDesk(source)
    columns = with_attribute_columns(columns, declared_attributes(desk), lang)
    where = Path(path)
    kind = file_format(where, format)
    selected = query if query is not None else TicketQuery()
    tickets = list(desk.store.stream(selected))
    policy = masking if masking is not None else default_masking()
    shown: dict[str, Contact | MaskedContact | None] = {
        ticket.id: None if ticket.contact is None else ticket.contact.masked(policy)
        for ticket in tickets
    }
    revealed = _reveal(desk, tickets, reveal) if reveal is not None else {}
    shown.update(revealed)
    headings = [column.heading(lang) for column in columns]
    rows = (
        [column.write(ticket, WriteContext(contact=shown[ticket.id], tz=tz)) for column in columns]
        for ticket in tickets
    )
    write_rows(where, kind, headings, rows)
    masked = sum(1 for ticket in tickets if ticket.contact is not None) - len(revealed)
    return ExportResult(str(where), kind, len(tickets), len(revealed), masked)


def _reveal(
    desk: ServiceDesk, tickets: list[Ticket], request: RevealRequest
) -> dict[str, Contact | MaskedContact | None]:
    """Decide every reveal, record them all in one write, and return the contacts revealed."""
    at = desk.clock.now()
    saves = []
    contacts: dict[str, Contact | MaskedContact | None] = {}
    for ticket in tickets:
        if ticket.contact is None or ticket.status is TicketStatus.CANCELLED:
            continue
        after, _ = contact_reveal(
            ticket,
            by=request.by,
            purpose=request.purpose,
            access=request.access,
            at=max(at, ticket.updated_at),
        )
        saves.append(Save(after, ticket.version, projection=desk.projector.project(after)))
        contacts[ticket.id] = ticket.contact
    store = desk.store
    bulk = getattr(store, "save_many", None)
    if bulk is not None:
        bulk(saves)
    else:
        for save in saves:
            store.save(
                save.ticket, expected_version=save.expected_version, projection=save.projection
            )
    return contacts
