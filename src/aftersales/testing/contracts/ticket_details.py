"""The details part of the ticket contract: tags queried, attachments and locations kept.

:class:`TicketDetailsContract` is a base of
:class:`~aftersales.testing.contracts.TicketStoreContract`, so every ticket
store runs it: a ticket's tags, attachment references and on-site location
come back equal through ``save`` (``StoreContract`` checks ``save_many`` and
a unit of work), and ``find`` (and ``count``, ``find_ids`` where the store
has them) with ``TicketQuery(tags=...)`` agree with the query's
reference semantics (:meth:`TicketQuery.select
<aftersales.model.query.TicketQuery.select>`), also after tags are added and
removed. Its hypothesis test compares random tag queries over randomly
tagged tickets with the reference.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMine(TicketDetailsContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMine().make_store().find(TicketQuery(tags=["vip"]))
    []
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import strategies as st

from aftersales.errors.ticket_details import InvalidTag
from aftersales.model.attachments import AttachmentRef
from aftersales.model.events import (
    AttachmentAdded,
    AttachmentRemoved,
    LocationSet,
    NoteAdded,
    TagsAdded,
    TagsRemoved,
    TicketOpened,
)
from aftersales.model.location import Location
from aftersales.model.query import TicketQuery
from aftersales.model.tags import normal_tag
from aftersales.model.ticket import Ticket
from aftersales.testing.contracts.builders import BASE, advance, build_ticket, ids_of
from aftersales.testing.contracts.fixtures import StoreUnderTest, add_hypothesis_test

__all__ = ["TicketDetailsContract", "tagged"]

#: Tags a store must keep and find: CJK, spaces, quotes, SQL wildcards, one NFKC changes (ⅱ: ii).
_POOL: tuple[str, ...] = ("vip", "返修", "上门 维修", "o'brien", "100%", "a_b", '"x"', "ⅱ期")


def tagged(ticket_id: str, tags: Any, *, minutes: int = 0) -> Ticket:
    """A ticket opened (like :func:`build_ticket`) and then given ``tags`` (when there are any).

    Example:
        >>> sorted(tagged("T1", ["VIP", "返修"]).tags)
        ['vip', '返修']
    """
    ticket = build_ticket(ticket_id, minutes=minutes)
    return advance(ticket, TagsAdded, tags=tags) if tags else ticket


def _photo(number: int) -> AttachmentRef:
    return AttachmentRef(
        uri=f"s3://after-sales/T1/现场照片-{number}.jpg",
        name=f"现场照片-{number}-13812345678.jpg",
        media_type="image/jpeg",
        size=482_113 * number,
        sha256=f"{number:064x}",
        attached_by="王工",
        attached_at=BASE,
    )


class TicketDetailsContract(StoreUnderTest):
    """Contract for a ticket store's tags, attachment references and locations."""

    #: Examples per hypothesis test; raise it for a thorough run.
    hypothesis_examples: ClassVar[int] = 25

    def test_tags_round_trip_and_are_queried(self, store: Any) -> None:
        first = tagged("G1", ["VIP", "返修"])
        second = tagged("G2", ["vip"], minutes=1)
        plain = build_ticket("G3", minutes=2)
        for ticket in (first, second, plain):
            store.save(ticket, expected_version=0)
            assert store.get(ticket.id) == ticket
        assert store.get("G1").tags == frozenset({"vip", "返修"})
        assert ids_of(store.find(TicketQuery(tags=["Vip"]))) == ["G1", "G2"]
        assert ids_of(store.find(TicketQuery(tags=["vip", "返修"]))) == ["G1"]
        assert len(store.find(TicketQuery(tags=["vip"], limit=1))) == 1
        assert store.find(TicketQuery(tags=["vip", "上门"])) == []
        both = TicketQuery(tags=["vip"], customer_id="C202405001", limit=1, after_id="G1")
        assert ids_of(store.find(both)) == ["G2"]
        untagged = advance(first, TagsRemoved, tags=["vip"])
        store.save(untagged, expected_version=first.version)
        assert ids_of(store.find(TicketQuery(tags=["vip"]))) == ["G2"]
        assert ids_of(store.find(TicketQuery(tags=["返修"]))) == ["G1"]
        noted = advance(second, NoteAdded, text="其他改动不动标签")
        store.save(noted, expected_version=second.version)
        assert ids_of(store.find(TicketQuery(tags=["vip"]))) == ["G2"]
        with pytest.raises(InvalidTag, match=r"tags\[0\]"):
            TicketQuery(tags=["紧急,加急"])

    def test_attachments_and_a_location_round_trip(self, store: Any) -> None:
        place = Location("天河路385号太古汇1座1203室", "广州市天河区", province="广东省")
        opening = build_ticket("D1").history[0]
        assert isinstance(opening, TicketOpened)
        ticket = Ticket.replay([attrs.evolve(opening, location=place)])
        ticket = advance(ticket, AttachmentAdded, attachment=_photo(1))
        ticket = advance(ticket, AttachmentAdded, attachment=_photo(2))
        store.save(ticket, expected_version=0)
        later = advance(ticket, AttachmentRemoved, sha256=_photo(1).sha256, reason="传错了")
        later = advance(later, LocationSet, location=None, reason="改为远程处理")
        store.save(later, expected_version=ticket.version)
        back = store.get("D1")
        assert back == later
        assert back.attachments == (_photo(2),)
        assert back.location is None
        assert list(store.history("D1")) == list(later.history)
        first = store.history("D1")[0]
        assert isinstance(first, TicketOpened)
        assert first.location == place

    def check_tag_queries_agree_with_the_reference(self, data: Any) -> None:
        """Randomly tagged tickets, retagged at random, queried at random: what ``select`` says."""
        store = self.make_store()
        try:
            tags = st.lists(st.sampled_from(_POOL), max_size=3, unique=True)
            stored: dict[str, Ticket] = {}
            for n in range(data.draw(st.integers(1, 6), label="tickets")):
                ticket = tagged(f"Q{n}", data.draw(tags, label="tags"), minutes=n)
                store.save(ticket, expected_version=0)
                stored[ticket.id] = ticket
            for ticket_id in data.draw(st.lists(st.sampled_from(sorted(stored))), label="changed"):
                before = stored[ticket_id]
                added = [tag for tag in data.draw(tags) if normal_tag(tag) not in before.tags]
                removed = [tag for tag in data.draw(tags) if normal_tag(tag) in before.tags]
                after = advance(before, TagsAdded, tags=added) if added else before
                after = advance(after, TagsRemoved, tags=removed) if removed else after
                if after is not before:
                    store.save(after, expected_version=before.version)
                    stored[ticket_id] = after
            wanted = data.draw(st.lists(st.sampled_from(_POOL), max_size=2), label="query")
            query = TicketQuery(tags=wanted, limit=data.draw(st.none() | st.integers(0, 4)))
            expected = query.select({t.id: (t, None) for t in stored.values()})
            assert ids_of(store.find(query)) == ids_of(expected)
            if hasattr(store, "count"):  # a Store's, beside a TicketStore's find
                assert store.count(query) == len(expected)
            if hasattr(store, "find_ids"):
                assert store.find_ids(query) == ids_of(expected)
        finally:
            self.dispose_store(store)


add_hypothesis_test(
    TicketDetailsContract,
    "test_tag_queries_agree_with_the_reference",
    "check_tag_queries_agree_with_the_reference",
)
