"""Tokenizing Chinese, English and mixed text for search, without a dictionary.

Chinese is written without spaces, so a run of CJK characters becomes its
overlapping bigrams (``开机黑屏`` → ``开机 机黑 黑屏``); a lone CJK character
stays a unigram. Latin letters and digits become lower-cased words, lightly
stemmed (``printers`` → ``printer``, ``jammed`` → ``jam``), minus a short list
of English stop words. Full-width forms are folded first (NFKC), so ``Ｘ２００``
matches ``x200``. The same function tokenizes documents and queries.

Example:
    >>> tokenize("X200打印机卡纸")
    ['x200', '打印', '印机', '机卡', '卡纸']
    >>> tokenize("The printer keeps jamming")
    ['printer', 'keep', 'jam']
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["STOP_WORDS", "stem", "tokenize"]

#: English words too common to help ranking.
STOP_WORDS: frozenset[str] = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "while",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)

_CJK = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef"
)
_TOKEN = re.compile(rf"([{_CJK}]+)|([a-z0-9]+)")
_DOUBLE = re.compile(r"([b-df-hj-np-tv-z])\1$")


def stem(word: str) -> str:
    """A light English stemmer: plural and -ed/-ing endings, doubled consonants undone.

    Example:
        >>> [stem(w) for w in ("batteries", "jammed", "charging", "glass", "leaks", "x200")]
        ['battery', 'jam', 'charg', 'glass', 'leak', 'x200']
    """
    if not word.isalpha() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix, keep in (("ing", 4), ("ed", 4)):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep - 1:
            base = word[: -len(suffix)]
            return base[:-1] if _DOUBLE.search(base) else base
    if word.endswith("es") and word[-3:-2] in ("s", "x", "z", "h"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and not word.endswith("us"):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """The search tokens of ``text``, in order (repeats kept: they count for ranking).

    Example:
        >>> tokenize("空调 E1 故障")
        ['空调', 'e1', '故障']
        >>> tokenize("漏")
        ['漏']
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    tokens: list[str] = []
    for match in _TOKEN.finditer(folded):
        cjk, word = match.groups()
        if cjk:
            if len(cjk) == 1:
                tokens.append(cjk)
            else:
                tokens.extend(cjk[i : i + 2] for i in range(len(cjk) - 1))
        elif word and word not in STOP_WORDS:
            tokens.append(stem(word))
    return tokens
