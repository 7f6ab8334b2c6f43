"""Checks of the company vocabulary shared by the SQL adapters' tests (SQLite file, PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

from aftersales import Channel, InvalidData, Term

#: Registrations that cannot both succeed: the same code with other labels, and one alias
#: for two terms. ``(code, label_en, label_zh, aliases)`` per racing store.
RACES: dict[str, tuple[tuple[str, str, str, tuple[str, ...]], ...]] = {
    "same code": (("feishu", "Feishu", "飞书", ()), ("feishu", "Lark", "飞书国际版", ())),
    "same alias": (
        ("feishu", "Feishu", "飞书", ("群聊",)),
        ("dingtalk", "DingTalk", "钉钉", ("群聊",)),
    ),
}


def check_racing_registrations(stores: list[Any], race: str) -> None:
    """Stores on one database register clashing terms at the same moment: exactly one wins.

    The loser gets ``InvalidData`` naming the winner's term (not a driver error),
    and every store then finds the winner's term.
    """
    entries = RACES[race]
    barrier = threading.Barrier(len(stores))
    results: list[Term | InvalidData | None] = [None] * len(stores)

    def register(index: int) -> None:
        code, label_en, label_zh, aliases = entries[index]
        barrier.wait()
        try:
            results[index] = stores[index].register_term(
                Channel, code, label_en, label_zh, aliases=aliases
            )
        except InvalidData as error:
            results[index] = error

    threads = [threading.Thread(target=register, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [result for result in results if isinstance(result, Term)]
    losers = [result for result in results if isinstance(result, InvalidData)]
    assert len(winners) == 1, results
    assert len(losers) == len(stores) - 1, results
    [winner] = winners
    assert f"{winner.code!r}" in str(losers[0])
    for store in stores:
        store.vocabulary.refresh()
        assert [r.code for r in store.vocabulary.records()] == [winner.code]
        assert store.vocabulary.get(Channel, winner.label_zh) == winner
