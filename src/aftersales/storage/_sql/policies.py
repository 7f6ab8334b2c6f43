"""The SQL adapters' adopted SLA policies: the table ``sla_policies``.

Private: :class:`PolicyTables` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. Migration 19 adds
``sla_policies (version, effective_us, adopted_us, note, document)``, one row
per adopted version, its instants in microseconds since 1970 UTC (the same
integers in every dialect) and ``document`` the policy file's text
(:func:`~aftersales.sla.policy_file.dump_policy_file`), indexed by
``(effective_us, version)`` for :meth:`policy_in_force`. Rows are only ever
inserted. ``check_integrity()`` names a row whose document does not read
(and, as typed columns, instants that are not integers).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

import pendulum

from aftersales import _checks as check
from aftersales.errors import InvalidData, StorageError
from aftersales.sla.policy_document import PolicyDocument
from aftersales.sla.policy_file import dump_policy_file, load_policy_file
from aftersales.storage._sql.integrity import row_name
from aftersales.storage.ports.policies import PolicyVersion, check_adoption

__all__ = ["POLICIES_VERSION", "PolicyTables"]

#: The schema version that brings the table ``sla_policies``.
POLICIES_VERSION = 19

_COLUMNS = "version, effective_us, adopted_us, note, document"


def _us(value: datetime) -> int:
    return int(pendulum.instance(value).int_timestamp) * 1_000_000 + value.microsecond


def _instant(us: Any) -> pendulum.DateTime:
    return pendulum.from_timestamp(int(us) // 1_000_000, tz="UTC").add(
        microseconds=int(us) % 1_000_000
    )


class PolicyTables:
    """:class:`~aftersales.storage.ports.PolicyStore` on the table ``sla_policies``.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> from aftersales.testing.samples import sample_policy_document
        >>> store = SQLiteStore(":memory:")
        >>> store.adopt_policy(sample_policy_document(), pendulum.datetime(2026, 12, 1), note="v1")
        1
        >>> store.policy_in_force(pendulum.datetime(2027, 1, 1)).note
        'v1'
    """

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    # -- the port ------------------------------------------------------------------------

    def adopt_policy(
        self, document: PolicyDocument, effective_from: datetime, *, note: str = ""
    ) -> int:
        """See :meth:`~aftersales.storage.ports.PolicyStore.adopt_policy`; one transaction."""
        checked, when, text = check_adoption(document, effective_from, note)
        written = dump_policy_file(checked)
        with self._writing() as cur:
            cur.execute("SELECT max(version) FROM sla_policies")
            found = cur.fetchone()[0]
            version = 1 if found is None else int(found) + 1
            cur.execute(
                self._sql(f"INSERT INTO sla_policies ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)"),
                (version, _us(when), _us(pendulum.now("UTC")), text, written),
            )
        return version

    def policy_versions(self) -> list[PolicyVersion]:
        """See :meth:`~aftersales.storage.ports.PolicyStore.policy_versions`."""
        with self._reading() as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM sla_policies ORDER BY version")
            rows = cur.fetchall()
        return [self._decode_policy(row) for row in rows]

    def policy_in_force(self, at: datetime) -> PolicyVersion | None:
        """See :meth:`~aftersales.storage.ports.PolicyStore.policy_in_force`."""
        when = check.aware(at, "at")
        with self._reading() as cur:
            cur.execute(
                self._sql(
                    f"SELECT {_COLUMNS} FROM sla_policies WHERE effective_us <= ?"
                    " ORDER BY effective_us DESC, version DESC LIMIT 1"
                ),
                (_us(when),),
            )
            row = cur.fetchone()
        return None if row is None else self._decode_policy(row)

    # -- reading rows ---------------------------------------------------------------------

    def _decode_policy(self, row: tuple[Any, ...]) -> PolicyVersion:
        """The version a row holds; ``StorageError`` naming the row when it holds none."""
        version, effective_us, adopted_us, note, document = row
        where = row_name("sla_policies", (version,), "version")
        loaded = self._decode_document(where, document)
        try:
            effective_from, adopted_at = _instant(effective_us), _instant(adopted_us)
        except (TypeError, ValueError):
            raise StorageError(
                f"{where}: its instants {effective_us!r}, {adopted_us!r} are not microseconds;"
                " accepted: integers (adopt the policy again)"
            ) from None
        return PolicyVersion(
            version=int(version),
            document=loaded,
            effective_from=effective_from,
            adopted_at=adopted_at,
            note=str(note),
        )

    def _decode_document(self, where: str, document: Any) -> PolicyDocument:
        try:
            return load_policy_file(str(document))
        except InvalidData as error:
            raise StorageError(
                f"{where}: document is not a policy file: {error}; accepted: adopt the policy"
                " again (aftersales sla policy load FILE --db DB --from DATE)"
            ) from None

    def _policy_problems(self) -> list[str]:
        """Each row of ``sla_policies`` whose document does not read (its instants are typed columns)."""
        with self._reading() as cur:
            cur.execute("SELECT version, document FROM sla_policies ORDER BY version")
            rows = cur.fetchall()
        problems: list[str] = []
        for version, document in rows:
            try:
                self._decode_document(row_name("sla_policies", (version,), "version"), document)
            except StorageError as error:
                problems.append(str(error))
        return problems
