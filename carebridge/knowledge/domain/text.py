"""Chinese text for the living dictionary's search: segmentation, synonyms and pinyin.

Entries and queries go through the same pipeline, so they meet on the same tokens:

* jieba (its bundled dictionary plus ``lexicon/medical_words.txt``, loaded offline in a private
  ``Tokenizer`` so the global one is left alone) cuts the text; entries are cut "for search", which also
  emits the dictionary words inside a long word (体外冲击波碎石 → 体外, 冲击波, 碎石, 体外冲击波碎石);
* Latin letters are lower-cased (ESWL → eswl), punctuation and ``lexicon/stopwords.txt`` are dropped;
* names also get their pinyin initials and full pinyin (骨科 → gk, guke) so the desk can type Latin;
* a query is expanded with ``lexicon/synonyms.txt``: equivalent words at full weight, related (broader)
  words at :data:`RELATED_FACTOR`.

After a lexicon change, ``manage.py knowledge_reindex`` re-segments the stored entries.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pypinyin import Style, lazy_pinyin

from carebridge.lib.text import new_tokenizer

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
MAX_TOKEN_LENGTH = 64
EQUIVALENT_FACTOR = 1.0
RELATED_FACTOR = 0.5
# The dictionary words inside an unknown query word, used only when the word itself is not a lexicon word.
SUBWORD_FACTOR = 0.3

_WORD_RE = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_lock = threading.Lock()
_state: dict[str, Any] = {}


@dataclass(frozen=True)
class Lexicon:
    words: frozenset[str]
    stopwords: frozenset[str]
    # word -> the words that mean the same (including itself)
    equivalents: dict[str, frozenset[str]]
    # word -> broader or related words
    related: dict[str, frozenset[str]]


@dataclass(frozen=True)
class QueryTerm:
    """A token the query looks for, with the factor its matches count with, and where it came from."""

    token: str
    factor: float
    source: str  # "query", "synonym", "related" or "part"


def _lines(name: str) -> Iterator[str]:
    for raw in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            yield line


def normalise(token: str) -> str:
    return token.strip().lower()[:MAX_TOKEN_LENGTH]


@cache
def lexicon() -> Lexicon:
    words = frozenset(normalise(line.split()[0]) for line in _lines("medical_words.txt"))
    stopwords = frozenset(normalise(word) for line in _lines("stopwords.txt") for word in line.split())
    groups: dict[str, set[str]] = {}
    related: dict[str, set[str]] = {}
    for line in _lines("synonyms.txt"):
        if "->" in line:
            head, tail = line.split("->", 1)
            targets = {normalise(w) for w in re.split(r"[,，、]", tail) if w.strip()}
            related.setdefault(normalise(head), set()).update(targets)
        elif "=" in line:
            members = {normalise(w) for w in line.split("=") if w.strip()}
            merged = set(members)
            for member in members:  # a word on two "=" lines joins the two groups
                merged |= groups.get(member, set())
            for member in merged:
                groups[member] = merged
    return Lexicon(
        words=words,
        stopwords=stopwords,
        equivalents={word: frozenset(group) for word, group in groups.items()},
        related={word: frozenset(targets) for word, targets in related.items()},
    )


def _medical_words() -> Iterator[tuple[str, int | None, str | None]]:
    """``(word, frequency, part of speech)`` of each line of ``medical_words.txt``."""
    for line in _lines("medical_words.txt"):
        parts = line.split()
        yield parts[0], int(parts[1]) if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None


def _tokenizer() -> Any:
    """jieba's tokenizer with the medical words, built once (loading the dictionary takes ~1 s)."""
    with _lock:
        if "tokenizer" not in _state:
            tokenizer = new_tokenizer(_medical_words())
            # Every synonym must survive segmentation, or a query could never reach it.
            lex = lexicon()
            for word in {*lex.equivalents, *lex.related, *(w for ws in lex.related.values() for w in ws)}:
                if len(word) > 1 and _CJK_RE.search(word) and not tokenizer.FREQ.get(word):
                    tokenizer.add_word(word, 1000)
            _state["tokenizer"] = tokenizer
    return _state["tokenizer"]


def _keep(token: str) -> bool:
    return bool(token) and bool(_WORD_RE.search(token)) and token not in lexicon().stopwords


def tokens_for_index(text: str) -> list[str]:
    """Every token an entry's text should be found by (with sub-words of long words)."""
    if not text:
        return []
    tokens = [normalise(t) for t in _tokenizer().cut_for_search(text, HMM=False)]
    # jieba emits only the 2- and 3-character words inside a long word; add the lexicon's longer ones
    # too (腰椎管狭窄症 → 腰椎管狭窄), so a query for the shorter term finds the longer one.
    inner = [
        word
        for token in tokens
        if len(token) > 4
        for word in _long_words()
        if word in token and word != token
    ]
    return [t for t in (*tokens, *inner) if _keep(t)]


@cache
def _long_words() -> tuple[str, ...]:
    lex = lexicon()
    return tuple(w for w in {*lex.words, *lex.equivalents, *lex.related} if len(w) > 3)


def pinyin_tokens(name: str) -> list[str]:
    """Pinyin initials and full pinyin of a name (骨科 → gk, guke); nothing for a name without Chinese."""
    if not _CJK_RE.search(name or ""):
        return []
    syllables = [s for s in lazy_pinyin(name, errors="ignore") if s.isalpha()]
    if not syllables:
        return []
    return [normalise("".join(s[0] for s in syllables)), normalise("".join(syllables))]


def name_initials(name: str) -> str:
    """The pinyin initials of a name, for display and filtering (张伟 → zw)."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()[:16]


def query_terms(query: str) -> list[QueryTerm]:
    """The tokens a query looks for, each with its factor; the highest factor wins for a repeated token."""
    lex = lexicon()
    tokenizer = _tokenizer()
    words = [normalise(t) for t in tokenizer.cut(query or "", HMM=False)]
    words = [w for w in words if _keep(w)]
    # Single Chinese characters match too much; they count only when the query has nothing longer.
    longer = [w for w in words if len(w) > 1 or not _CJK_RE.search(w)]
    words = longer or words
    terms: dict[str, QueryTerm] = {}

    def add(token: str, factor: float, source: str) -> None:
        if not _keep(token):
            return
        current = terms.get(token)
        if current is None or current.factor < factor:
            terms[token] = QueryTerm(token, factor, source)

    for word in words:
        add(word, 1.0, "query")
        for same in lex.equivalents.get(word, ()):
            add(same, EQUIVALENT_FACTOR, "synonym")
        for broader in _related(word, lex):
            add(broader, RELATED_FACTOR, "related")
        if len(word) > 2 and word not in lex.words and word not in lex.equivalents:
            for raw in tokenizer.cut_for_search(word, HMM=False):
                part = normalise(raw)
                if part != word and len(part) > 1:
                    add(part, SUBWORD_FACTOR, "part")
    return sorted(terms.values(), key=lambda term: (-term.factor, term.token))


def _related(word: str, lex: Lexicon) -> set[str]:
    heads = lex.equivalents.get(word, frozenset({word}))
    found: set[str] = set()
    for head in heads:
        for target in lex.related.get(head, ()):
            found |= lex.equivalents.get(target, frozenset({target}))
    return found - heads


def split_list(text: str) -> list[str]:
    """Items of a list typed as lines or separated by commas or 、 (synonyms, services offered)."""
    return [item.strip() for item in re.split(r"[\n,，、;；]", text or "") if item.strip()]


def weigh_fields(fields: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Token -> weight for a document given as ``(text, field weight)`` pairs.

    A token counts once per field, with that field's weight, so a word in the title and the body scores
    title + body, but a word repeated ten times in the body does not outrank the title.
    """
    weights: dict[str, float] = {}
    for text, weight in fields:
        for token in set(tokens_for_index(text)):
            weights[token] = weights.get(token, 0.0) + weight
    return weights
