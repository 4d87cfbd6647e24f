"""Text analysis for the search index: Chinese segmented by jieba, everything else split into folded words.

The same analysis runs over documents and queries, so the engine only ever
sees whitespace-separated tokens (tantivy here; a server engine would need no
analysis of its own either). Pure: no app, no database.
"""

import logging
import re
import threading

from content_types.search import fold_for_search

# CJK Unified Ideographs (and extension A, compatibility ideographs): the runs jieba segments.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A run of Han characters, or a word of letters and digits (\w without the underscore) in any other script.
_RUNS = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")
# Longer tokens are noise (a pasted hash, a URL's tail) and only bloat the term dictionary.
MAX_TOKEN_LENGTH = 40

_jieba = None
_jieba_lock = threading.Lock()


def _segmenter():
    # jieba loads its dictionary (about two seconds) on first use: only when Chinese text comes along.
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def tokens(text: str | None) -> list[str]:
    """Return the search tokens of `text`: folded words, Chinese words with their shorter parts (合作伙伴 → 合作)."""
    if not text:
        return []
    result = []
    for match in _RUNS.finditer(fold_for_search(text)):
        han, word = match.groups()
        if han:
            # cut_for_search gives each word and the dictionary words inside it, so 合作 is a token of 合作伙伴.
            result.extend(part for part in _segmenter().cut_for_search(han) if part.strip())
        elif len(word) <= MAX_TOKEN_LENGTH:
            result.append(word)
    return result


def is_han(token: str) -> bool:
    """Whether `token` is Chinese (segmented by jieba; never matched by prefix)."""
    return bool(token) and bool(re.match(rf"[{_HAN}]", token))


def joined(text: str | None) -> str:
    """Return the tokens of `text` joined by spaces, for an engine that splits on whitespace."""
    return " ".join(tokens(text))
