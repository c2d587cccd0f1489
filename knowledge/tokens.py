"""Tokenisation for retrieval: jieba for Chinese, light stemming for English."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba

__all__ = ["tokenize", "stem", "STOPWORDS"]

jieba.setLogLevel(logging.WARNING)

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

_STOPWORDS_TEXT = """a an the and or of to in on at for by with from is are was were
    be been being it its
    this that these those what which who how why when where do does did can could should would
    i my me we our you your they them their he she his her not no if then than so as into
    about there here have has had will just also any some all more most very get got use using
    的 了 是 在 和 与 或 及 吗 呢 吧 啊 么 什么 怎么 怎样 如何 为什么 哪些 哪个
    一个 这个 那个 我 我们
    你 你们 他 它 要 会 能 可以 应该 需要 时 时候 后 之后 把 被 让 给 对 从 到 也 都 就 还 又 并 该
    上 下 中 个 有 没有 没 不 请 一下 怎么办 怎么样 办"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately small suffix stripper: probes→prob, throttling→throttl, expired→expir."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def _english(run: str) -> list[str]:
    whole = run.lower()
    parts = [p.lower() for p in _CAMEL.findall(run)] if not run.islower() else []
    pieces = re.split(r"[._-]", whole) if re.search(r"[._-]", whole) else []
    words = [whole, *parts, *pieces] if len(parts) > 1 or pieces else [whole]
    return [stem(w) for w in dict.fromkeys(words) if w and w not in STOPWORDS]


@lru_cache(maxsize=65536)
def _chinese(run: str) -> tuple[str, ...]:
    return tuple(w for w in jieba.lcut_for_search(run) if w.strip() and w not in STOPWORDS)


def tokenize(text: str) -> list[str]:
    """Tokens of ``text`` for BM25: Chinese words (search mode) and stemmed English words."""
    out: list[str] = []
    for match in _RUN.finditer(text):
        run = match.group(0)
        out.extend(_chinese(run) if _CJK.match(run) else _english(run))
    return out
