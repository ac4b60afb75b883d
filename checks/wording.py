"""ERR-1: 严重表述错误 — a page's text writes a fixed name (the state's, an organ's, the Party's) wrongly.

The wrong forms are the pack's dictionary (``[[errors.terms]]``), never a guess: each names its right form and the
document that fixes it. Matching reads the page's stored visible text (personal numbers already masked) and ignores
whitespace and full/half width inside a word, as a reader would; a wrong form inside its right form, inside one of
its ``except_in`` words or inside an ``[errors] allowed`` word is part of a correct word and does not count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from govmon.checks.context import Context
from govmon.checks.pack import Errors, ErrorTerm
from govmon.checks.rule import Draft, Rule, judges
from govmon.checks.snapshot import Snapshot, parsed

SOURCE_19 = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"

ERR_1 = Rule(
    id="ERR-1", cls="veto", title="严重表述错误",
    summary="A page writes the name of the state, a state organ or the Party wrongly (an entry of the pack's dictionary).",
    why="19号 vetoes a site with a serious wording error: a misspelt name of the state or its organs misinforms "
        "citizens and discredits the government that publishes it.",
    source=f"{SOURCE_19}“单项否决”（严重表述错误）",
    fix="立即更正页面中的错误表述，并建立内容发布前的校对审核机制",
    example="“中华人民共合国”应为“中华人民共和国”：根据《中华人民共合国政府信息公开条例》规定，现将有关情况公告如下。",
)
RULES = (ERR_1,)

_SENTENCE_ENDS = "。！？；!?;\n"
_SENTENCE_CHARS = 120
_WHITESPACE = re.compile(r"\s+")
# What NFKC changes inside a Chinese word: full-width letters and digits, compatibility ideographs. A text without
# any needs no normalising to be searched (NFKC of a whole page costs more than every other step of the rule).
COMPATIBLE_FORMS = re.compile("[\uf900-\ufaff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\U0002f800-\U0002fa1f]")


def _fold_char(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", char) if not c.isspace())


def folded(text: str) -> str:
    """Text as ERR-1 compares it: full/half width made one (NFKC), whitespace (U+3000 too) dropped."""
    return "".join(_fold_char(char) for char in text)


@lru_cache(maxsize=4096)
def _folded_word(word: str) -> str:
    """A dictionary word folded, once per check rather than once per page."""
    return folded(word)


def _folded_with_origins(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character it comes from."""
    chars, origins = [], []
    for index, char in enumerate(text):
        for c in _fold_char(char):
            chars.append(c)
            origins.append(index)
    return "".join(chars), origins


def _spans(text: str, word: str) -> Iterator[tuple[int, int]]:
    start = text.find(word)
    while start >= 0:
        yield start, start + len(word)
        start = text.find(word, start + 1)


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of text[start:end] (split at 。！？； and line ends), cut to 120 characters around it, its
    whitespace shown as single spaces."""
    left = max(text.rfind(mark, 0, start) for mark in _SENTENCE_ENDS) + 1
    ends = [at for mark in _SENTENCE_ENDS if (at := text.find(mark, end)) >= 0]
    right = min(ends) + 1 if ends else len(text)
    if right - left > _SENTENCE_CHARS:
        left = max(left, start - max(0, _SENTENCE_CHARS - (end - start)) // 2)
        right = min(right, left + _SENTENCE_CHARS)
    return " ".join(text[left:right].split())[:_SENTENCE_CHARS]


def _counted(term: ErrorTerm, allowed: tuple[str, ...], text: str) -> list[tuple[int, int]]:
    """The spans (in the folded text) of the term's wrong form that are not part of a correct longer word."""
    found = list(_spans(text, _folded_word(term.wrong)))
    if not found:
        return []
    correct = [span for word in (term.right, *term.except_in, *allowed) for span in _spans(text, _folded_word(word))]
    return [(s, e) for s, e in found if not any(a <= s and e <= b for a, b in correct)]


def wrong_terms(text: str, errors: Errors) -> list[dict]:
    """Each dictionary term written wrongly in ``text``: the term, how often, and the first sentence holding it."""
    quick = _WHITESPACE.sub("", text)
    if COMPATIBLE_FORMS.search(quick):
        quick = unicodedata.normalize("NFKC", quick)
    candidates = [term for term in errors.terms if _folded_word(term.wrong) in quick]
    if not candidates:
        return []
    flat, origins = _folded_with_origins(text)
    found = []
    for term in candidates:
        spans = _counted(term, errors.allowed, flat)
        if spans:
            start, end = spans[0]
            found.append({"wrong": term.wrong, "right": term.right, "class": term.term_class, "source": term.source,
                          "sentence": sentence_at(text, origins[start], origins[end - 1] + 1), "count": len(spans)})
    return found


@judges(ERR_1)
def check_err_1(snapshot: Snapshot, context: Context) -> list[Draft]:
    """One draft per page whose text writes a dictionary term wrongly."""
    drafts = []
    for page in snapshot.pages:
        terms = wrong_terms(snapshot.text(page), context.pack.errors) if parsed(page) else []
        if not terms:
            continue
        detail = "；".join(f"“{t['wrong']}”应为“{t['right']}”" for t in terms)
        drafts.append(Draft(rule="ERR-1", target=page.url, evidence={
            "reason": "wrong_expression", "status": None, "detail": f"页面存在严重表述错误：{detail}", "terms": terms},
            places=[{"page": page.url, "title": page.title or "", "tag": "page", "attr": "", "text": t["sentence"]}
                    for t in terms[:context.pack.report.places_cap]],
            places_total=len(terms)))
    return drafts
