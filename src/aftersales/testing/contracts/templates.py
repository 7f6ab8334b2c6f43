"""The reply templates part of the storage contract: every version kept, the latest found by filter.

:class:`ReplyTemplateStoreContract` is the suite of a
:class:`~aftersales.storage.ReplyTemplateStore`: a saved version is read back
equal; every version stays readable, oldest first; a duplicate new template,
a stale ``expected_version`` and a version that does not follow are refused
and write nothing; ``find_reply_templates`` keeps the latest versions that
suit a category, a channel and a language, without the retired ones unless
asked, by code; bad arguments are refused before anything is read. Its
hypothesis test holds random sequences of adds, revisions, retirements and
stale saves to a reference dictionary. :func:`make_reply_template` builds
the templates it writes.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemoryTemplates(ReplyTemplateStoreContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMemoryTemplates().make_store().find_reply_templates()
    []
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st

from aftersales.errors import ConcurrencyError, DuplicateId, InvalidData, NotFound
from aftersales.knowledge.reply_templates import ReplyTemplate
from aftersales.storage.ports.templates import ReplyTemplateStore
from aftersales.testing.contracts.builders import HOSTILE_TEXTS, RECORDS_BASE
from aftersales.testing.contracts.fixtures import StoreUnderTest, add_hypothesis_test
from aftersales.vocab import Channel, ProblemCategory

__all__ = ["ReplyTemplateStoreContract", "make_reply_template"]


def make_reply_template(code: str = "RT-1", **fields: Any) -> ReplyTemplate:
    """Version 1 of a Chinese template for every category and channel, written at :data:`RECORDS_BASE`.

    Example:
        >>> make_reply_template("RT-2", channel="phone").channel.code
        'phone'
    """
    values: dict[str, Any] = {
        "title": "受理确认",
        "body": "{customer_name}您好,工单 {ticket_id} 已受理,{due_at} 前答复。",
        "author": "王经理",
        "updated_at": RECORDS_BASE,
    }
    values.update(fields)
    return ReplyTemplate(code=code, **values)


def _suits(
    template: ReplyTemplate,
    *,
    category: str | None = None,
    channel: str | None = None,
    language: str | None = None,
    include_retired: bool = False,
) -> bool:
    """The reference of ``find_reply_templates``' filters, said plainly."""
    if template.retired and not include_retired:
        return False
    if language is not None and template.language != language:
        return False
    if category is not None and template.category not in (None, ProblemCategory.get(category)):
        return False
    return channel is None or template.channel in (None, Channel.get(channel))


def _escaped(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


class ReplyTemplateStoreContract(StoreUnderTest):
    """The contract of :class:`~aftersales.storage.ReplyTemplateStore`.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestSQLiteTemplates(ReplyTemplateStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLiteTemplates().make_store(), ReplyTemplateStore)
        True
    """

    hypothesis_examples = 20

    def test_is_a_reply_template_store(self, store: Any) -> None:
        assert isinstance(store, ReplyTemplateStore)
        assert store.find_reply_templates() == []
        assert store.find_reply_templates(include_retired=True) == []

    def test_every_version_is_kept_and_the_latest_is_read(self, store: Any) -> None:
        first = make_reply_template()
        store.save_reply_template(first, expected_version=0)
        second = first.revise(by="李工", at=RECORDS_BASE.add(hours=1), body="{customer_name} 您好")
        store.save_reply_template(second, expected_version=1)
        third = second.retire(by="王经理", at=RECORDS_BASE.add(days=1))
        store.save_reply_template(third, expected_version=2)
        assert store.get_reply_template("RT-1") == third
        assert store.find_reply_template_versions("RT-1") == [first, second, third]
        assert [t.author for t in store.find_reply_template_versions("RT-1")] == [
            "王经理",
            "李工",
            "王经理",
        ]

    def test_texts_come_back_unchanged(self, store: Any) -> None:
        for number, text in enumerate(HOSTILE_TEXTS):
            body = _escaped(text) if len(text) > 9_000 else _escaped(text) + " {handler}"
            template = make_reply_template(f"RT-{number}", title=text, body=body)
            store.save_reply_template(template, expected_version=0)
            found = store.get_reply_template(f"RT-{number}")
            assert (found.title, found.body) == (text, template.body)

    def test_duplicate_stale_and_unfollowing_saves_write_nothing(self, store: Any) -> None:
        first = make_reply_template()
        store.save_reply_template(first, expected_version=0)
        with pytest.raises(DuplicateId):
            store.save_reply_template(make_reply_template(title="另一个"), expected_version=0)
        second = first.revise(by="李工", at=RECORDS_BASE, title="受理通知")
        store.save_reply_template(second, expected_version=1)
        stale = first.revise(by="赵工", at=RECORDS_BASE, title="过时的修改")
        with pytest.raises(ConcurrencyError):
            store.save_reply_template(stale, expected_version=1)
        with pytest.raises(InvalidData):
            store.save_reply_template(second, expected_version=2)
        with pytest.raises(ConcurrencyError):
            store.save_reply_template(make_reply_template("RT-9", version=2), expected_version=1)
        assert store.find_reply_template_versions("RT-1") == [first, second]
        with pytest.raises(NotFound):
            store.find_reply_template_versions("RT-9")

    def test_an_absent_code_is_not_found(self, store: Any) -> None:
        with pytest.raises(NotFound):
            store.get_reply_template("RT-404")
        with pytest.raises(NotFound):
            store.find_reply_template_versions("RT-404")

    def test_find_keeps_the_latest_versions_that_suit_by_code(self, store: Any) -> None:
        saved = [
            make_reply_template("RT-c", category="consultation"),
            make_reply_template("RT-a"),
            make_reply_template("RT-b", category="product_quality", channel="phone"),
            make_reply_template(
                "RT-d", language="en", body="Dear {customer_name}", channel="email"
            ),
        ]
        for template in saved:
            store.save_reply_template(template, expected_version=0)
        moved = saved[0].revise(by="李工", at=RECORDS_BASE, category="product_quality")
        store.save_reply_template(moved, expected_version=1)
        gone = saved[1].retire(by="李工", at=RECORDS_BASE)
        store.save_reply_template(gone, expected_version=1)

        def codes(**filters: Any) -> list[str]:
            return [t.code for t in store.find_reply_templates(**filters)]

        assert codes() == ["RT-b", "RT-c", "RT-d"]
        assert codes(include_retired=True) == ["RT-a", "RT-b", "RT-c", "RT-d"]
        assert codes(category="consultation") == ["RT-d"]  # RT-c moved away in version 2
        assert codes(category="product_quality") == ["RT-b", "RT-c", "RT-d"]
        assert codes(channel="email") == ["RT-c", "RT-d"]
        assert codes(category="product_quality", channel="phone", language="zh") == [
            "RT-b",
            "RT-c",
        ]
        assert codes(language="en", include_retired=True) == ["RT-d"]
        assert store.find_reply_templates(category="consultation")[0] == saved[3]

    @pytest.mark.parametrize(
        ("filters", "path"),
        [
            ({"category": 5}, "category"),
            ({"channel": ["phone"]}, "channel"),
            ({"language": "fr"}, "language"),
            ({"include_retired": 1}, "include_retired"),
            ({"category": "a\x00b"}, "category"),
        ],
    )
    def test_bad_filters_are_refused_by_name(
        self, store: Any, filters: dict[str, Any], path: str
    ) -> None:
        with pytest.raises(InvalidData) as raised:
            store.find_reply_templates(**filters)
        assert path in dict(raised.value.problems)

    @pytest.mark.parametrize(
        ("arguments", "path"),
        [
            (("RT-1", 0), "template"),
            ((None, 0), "template"),
            ((make_reply_template(), -1), "expected_version"),
            ((make_reply_template(), True), "expected_version"),
            ((make_reply_template(), 1), "template.version"),
        ],
    )
    def test_bad_saves_are_refused_before_anything_is_written(
        self, store: Any, arguments: tuple[Any, Any], path: str
    ) -> None:
        template, expected = arguments
        with pytest.raises(InvalidData) as raised:
            store.save_reply_template(template, expected_version=expected)
        assert path in dict(raised.value.problems)
        assert store.find_reply_templates(include_retired=True) == []

    def check_saves_match_a_reference(self, data: Any) -> None:
        store = self.make_store()
        try:
            reference: dict[str, list[ReplyTemplate]] = {}
            steps = data.draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(("RT-1", "RT-2", "RT-3")),
                        st.sampled_from(("add", "revise", "retire", "revive", "stale")),
                        st.sampled_from((None, "consultation", "product_quality")),
                        st.sampled_from((None, "phone", "email")),
                        st.sampled_from(("zh", "en")),
                    ),
                    max_size=10,
                )
            )
            for minutes, (code, action, category, channel, language) in enumerate(steps):
                at = RECORDS_BASE.add(minutes=minutes)
                versions = reference.get(code)
                where = {"category": category, "channel": channel, "language": language}
                if versions is None:
                    new = make_reply_template(code, **where)
                    store.save_reply_template(new, expected_version=0)
                    reference[code] = [new]
                    continue
                latest = versions[-1]
                if action == "add":
                    with pytest.raises(DuplicateId):
                        store.save_reply_template(make_reply_template(code), expected_version=0)
                    continue
                body = f"{{customer_name}} 第 {minutes} 版"
                changes: dict[str, Any] = {
                    "revise": {"body": body, **where},
                    "retire": {"retired": True},
                    "revive": {"retired": False, "body": body},
                    "stale": {"body": body},
                }[action]
                if action == "retire" and latest.retired:
                    with pytest.raises(InvalidData):
                        latest.revise(by="李工", at=at, **changes)
                    continue
                revised = latest.revise(by="李工", at=at, **changes)
                if action == "stale" and latest.version > 1:
                    older = versions[-2].revise(by="赵工", at=at, body=body + " 旧")
                    with pytest.raises(ConcurrencyError):
                        store.save_reply_template(older, expected_version=older.version - 1)
                    continue
                store.save_reply_template(revised, expected_version=latest.version)
                versions.append(revised)
            for code, versions in reference.items():
                assert store.find_reply_template_versions(code) == versions
            for filters in (
                {},
                {"include_retired": True},
                {"category": "consultation", "channel": "phone"},
                {"language": "en"},
            ):
                expected = [
                    versions[-1]
                    for _, versions in sorted(reference.items())
                    if _suits(versions[-1], **filters)
                ]
                assert store.find_reply_templates(**filters) == expected, filters
        finally:
            self.dispose_store(store)


add_hypothesis_test(
    ReplyTemplateStoreContract, "test_saves_match_a_reference", "check_saves_match_a_reference"
)
