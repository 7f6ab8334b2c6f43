"""The knowledge base: articles, the service, tokenizing, and the search indexes."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import FixedClock, InvalidData, InvalidTransition, NotFound, ServiceDesk
from aftersales.knowledge import (
    ArticleStatus,
    ArticleUse,
    Bm25Index,
    IndexDocument,
    KnowledgeArticle,
    KnowledgeBase,
    SQLiteSearchIndex,
    tokenize,
)
from aftersales.serialization import from_dict, to_dict
from aftersales.storage.memory import MemoryArticleStore
from aftersales.testing.contracts import ArticleStoreContract, SearchIndexContract, make_article
from aftersales.testing.samples import sample_ticket
from tests.helpers import open_sample

TZ = "Asia/Shanghai"
AT = pendulum.datetime(2024, 5, 20, 9, tz=TZ)
DATA = Path(__file__).parent.parent / "benchmarks" / "data" / "knowledge_set.json"


class TestMemoryArticleStore(ArticleStoreContract):
    def make_store(self) -> MemoryArticleStore:
        return MemoryArticleStore()


class TestBm25Index(SearchIndexContract):
    def make_index(self) -> Bm25Index:
        return Bm25Index()


class TestSQLiteSearchIndex(SearchIndexContract):
    def make_index(self) -> SQLiteSearchIndex:
        return SQLiteSearchIndex()


class TestPostgresSearchIndex(SearchIndexContract):
    made = 0

    @pytest.fixture(autouse=True)
    def _dsn(self, postgres_dsn: str) -> None:
        self.dsn = postgres_dsn

    def make_index(self) -> object:
        from aftersales.knowledge import PostgresSearchIndex

        TestPostgresSearchIndex.made += 1
        return PostgresSearchIndex(self.dsn, table=f"kb_search_{TestPostgresSearchIndex.made}")


# -- tokenizing ----------------------------------------------------------------------------

CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1)


@given(CJK)
def test_a_cjk_run_becomes_its_bigrams(run: str) -> None:
    tokens = tokenize(run)
    if len(run) == 1:
        assert tokens == [run]
    else:
        assert len(tokens) == len(run) - 1
        assert all(len(t) == 2 for t in tokens)
        assert "".join(t[0] for t in tokens) + tokens[-1][1] == run


LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.!-"
FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) for c in LATIN if c != " ")


@given(st.text(alphabet=LATIN + FULL_WIDTH + "打印机卡纸空调", max_size=40))
def test_tokenizing_ignores_case_and_width(text: str) -> None:
    half = "".join(chr(ord(c) - 0xFEE0) if c in FULL_WIDTH else c for c in text)
    assert tokenize(text) == tokenize(half.upper()) == tokenize(half.lower())


def test_mixed_text_and_stemming() -> None:
    assert tokenize("Ｘ２００打印机 Printers jammed!") == [
        "x200",
        "打印",
        "印机",
        "printer",
        "jam",
    ]
    assert tokenize("the of and") == []


# -- the in-process index --------------------------------------------------------------------

WORDS = st.lists(
    st.sampled_from(["打印机", "卡纸", "空调", "漏水", "router", "firmware", "电池", "续航"]),
    min_size=1,
    max_size=6,
).map(" ".join)


@given(st.lists(st.tuples(st.sampled_from(["KB-1", "KB-2", "KB-3", "KB-4"]), WORDS), max_size=8))
def test_bm25_finds_each_document_by_its_own_text(docs: list[tuple[str, str]]) -> None:
    index = Bm25Index()
    latest: dict[str, str] = {}
    for doc_id, text in docs:
        index.add(IndexDocument(doc_id, text))
        latest[doc_id] = text
    assert len(index) == len(latest)
    for doc_id, text in latest.items():
        hits = index.search(text, limit=10)
        assert doc_id in [h.id for h in hits]
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        assert all(h.score > 0 for h in hits)
    for doc_id in latest:
        index.remove(doc_id)
    assert len(index) == 0
    assert index.search("打印机 router") == []


# -- articles ---------------------------------------------------------------------------------


def test_article_lifecycle_and_versions() -> None:
    draft = make_article()
    published = draft.publish(by="王经理", at=AT)
    revised = published.revise(by="王经理", at=AT.add(days=1), note="补充步骤", tags=("卡纸",))
    retired = revised.retire(by="王经理", at=AT.add(days=30), reason="机型停产")
    assert [a.version for a in (draft, published, revised, retired)] == [1, 2, 3, 4]
    assert [a.status.label_zh for a in (draft, published, revised, retired)] == [
        "草稿",
        "已发布",
        "已发布",
        "已停用",
    ]
    assert retired.change_note == "机型停产"
    with pytest.raises(InvalidTransition, match="knowledge article 'KB-1' is retired"):
        retired.publish(by="王经理", at=AT.add(days=31))
    with pytest.raises(InvalidData, match="before the last change"):
        revised.retire(by="王经理", at=AT, reason="r")
    with pytest.raises(InvalidData, match="nothing to revise"):
        draft.revise(by="王经理", at=AT)
    for article in (draft, retired):
        assert from_dict(KnowledgeArticle, to_dict(article)) == article


def test_article_refuses_bad_fields_all_at_once() -> None:
    with pytest.raises(InvalidData) as error:
        KnowledgeArticle(
            id="KB 1",
            title="",
            symptoms="s",
            root_cause="r",
            solution_steps=("ok", ""),
            category="nonsense",
            created_at=AT,
            created_by="李工",
            status="archived",
        )
    assert {p for p, _ in error.value.problems} == {
        "id",
        "title",
        "solution_steps[1]",
        "category",
        "status",
    }


# -- the service --------------------------------------------------------------------------------


@pytest.fixture
def kb() -> KnowledgeBase:
    return KnowledgeBase(clock=FixedClock(AT))


def test_draft_from_a_closed_ticket(kb: KnowledgeBase) -> None:
    ticket = sample_ticket()
    draft = kb.draft_from_ticket(ticket, by="李工", article_id="KB-1", tags=["死机"])
    assert draft.status is ArticleStatus.DRAFT
    assert draft.symptoms.startswith(ticket.description)
    assert "每天死机好几次" in draft.symptoms
    assert draft.solution_steps == ("上门更换内存模块",)
    assert draft.product == "A型智能办公设备"
    assert draft.root_cause_category is not None
    assert draft.root_cause_category.code == "hardware_fault"
    assert kb.search("死机") == []  # drafts are not searchable


def test_draft_from_an_open_ticket_is_refused_and_writes_nothing(
    kb: KnowledgeBase, desk: ServiceDesk
) -> None:
    ticket = open_sample(desk)
    with pytest.raises(InvalidData) as error:
        kb.draft_from_ticket(ticket, by="李工", article_id="KB-1")
    assert {p for p, _ in error.value.problems} == {
        "ticket.status",
        "ticket.analyses",
        "ticket.solution",
    }
    with pytest.raises(NotFound):
        kb.get("KB-1")


def test_publish_revise_retire_keep_the_index_in_step(kb: KnowledgeBase) -> None:
    kb.draft_from_ticket(sample_ticket(), by="李工", article_id="KB-1")
    kb.publish("KB-1", by="王经理")
    assert [h.article.id for h in kb.search("设备 死机")] == ["KB-1"]
    assert kb.search("死机", product="B型打印机") == []
    assert [h.article.id for h in kb.search("死机", category="产品质量")] == ["KB-1"]
    kb.revise("KB-1", by="王经理", symptoms="屏幕闪烁后重启", title="设备自动重启")
    assert kb.search("死机") == []
    assert [h.article.id for h in kb.search("闪烁")] == ["KB-1"]
    kb.retire("KB-1", by="王经理", reason="已合并到 KB-2")
    assert kb.search("闪烁") == []
    assert [v.status.value for v in kb.versions("KB-1")] == [
        "draft",
        "published",
        "published",
        "retired",
    ]
    with pytest.raises(InvalidTransition):
        kb.revise("KB-1", by="王经理", tags=("x",))
    assert len(kb.versions("KB-1")) == 4
    assert kb.rebuild_index() == 0


def test_suggest_prefers_the_tickets_product(kb: KnowledgeBase, desk: ServiceDesk) -> None:
    from aftersales.model import Product, Purchase

    for article_id, product in (("KB-1", "X200"), ("KB-2", "X300"), ("KB-3", None)):
        kb.add(
            KnowledgeArticle(
                id=article_id,
                title="打印机卡纸",
                symptoms="打印时频繁卡纸",
                root_cause="搓纸轮磨损",
                solution_steps=("更换搓纸轮",),
                category="product_quality",
                product=product,
                created_at=AT,
                created_by="李工",
                status="published",
            )
        )
    ticket = open_sample(
        desk,
        description="打印机老是卡纸",
        purchase=Purchase(product=Product("X300"), purchased_on=AT.date()),
    )
    hits = kb.suggest(ticket, limit=3)
    # same text: the ticket's product first (1.5x); then the generic article, shorter than
    # the other product's (no product token), so BM25's length normalisation puts it ahead
    assert [h.article.id for h in hits] == ["KB-2", "KB-3", "KB-1"]
    assert hits[0].score > hits[1].score > hits[2].score


def test_uses_are_counted_per_article(kb: KnowledgeBase) -> None:
    for article_id in ("KB-1", "KB-2"):
        kb.add(make_article(article_id))
        kb.publish(article_id, by="王")
    with pytest.raises(InvalidData, match="not a first version"):
        kb.add(make_article("KB-3").publish(by="王", at=AT))
    kb.record_use("KB-2", ticket_id="T1", by="李工")
    kb.record_use("KB-2", ticket_id="T2", by="李工", helpful=False)
    kb.record_use("KB-2", ticket_id="T2", by="李工")
    use = kb.record_use("KB-1", ticket_id="T3", by="李工")
    assert use.article_version == 2
    rows = kb.usage()
    assert [(r.article_id, r.uses, r.helpful, r.tickets) for r in rows] == [
        ("KB-2", 3, 2, 2),
        ("KB-1", 1, 1, 1),
    ]
    assert rows[0].helpful_rate == round(2 / 3, 4)
    assert kb.usage(start=AT.add(seconds=1)) == []
    with pytest.raises(NotFound):
        kb.record_use("KB-404", ticket_id="T1", by="李工")
    assert from_dict(ArticleUse, to_dict(use)) == use


def test_sqlite_index_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "kb.sqlite"
    index = SQLiteSearchIndex(path)
    index.add(IndexDocument("KB-1", "洗衣机 脱水 剧烈震动", product="W10"))
    index.close()
    again = SQLiteSearchIndex(path)
    assert [h.id for h in again.search("脱水震动", product="W10")] == ["KB-1"]
    with pytest.raises(InvalidData, match="table"):
        SQLiteSearchIndex(path, table="x; DROP TABLE y")


# -- the labelled set behind benchmarks/knowledge.py -----------------------------------------


def test_the_labelled_set_is_sound_and_the_default_index_meets_the_goal() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    articles, queries = data["articles"], data["queries"]
    ids = {a["id"] for a in articles}
    assert len(articles) >= 200
    assert len(ids) == len(articles)
    assert len(queries) >= 100
    assert {q["lang"] for q in queries} == {"zh", "en", "mixed"}
    assert all(q["relevant"] and set(q["relevant"]) <= ids for q in queries)
    index = Bm25Index()
    for a in articles:
        boost = "\n".join([a["title"], *a["tags"], a["product"] or "", a["symptoms"]])
        body = "\n".join([a["root_cause"], *a["solution_steps"]])
        index.add(IndexDocument(a["id"], body, boost=boost, product=a["product"]))
    recall = [
        len(set(q["relevant"]) & {h.id for h in index.search(q["query"], limit=5)})
        / len(q["relevant"])
        for q in queries
    ]
    assert sum(recall) / len(recall) >= 0.9
