"""Category suggestion from a complaint's text: jieba segmentation and the editable lexicon
(``CategoryKeyword``).

The suggestion is advice, shown with its evidence (the terms found and the category each points to); the
receiver keeps the last word. jieba runs with a tokenizer of its own (``lib.text.new_tokenizer``), so the
lexicon's terms added to its dictionary do not change how other apps (the knowledge base search) segment
text. The tokenizer is built once and learns the terms an administrator adds (its main dictionary takes a
second to load).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from carebridge.complaints.choices import Category
from carebridge.lib.text import new_tokenizer

_lock = threading.Lock()
_state: dict[str, Any] = {"version": None, "tokenizer": None, "terms": {}}


@dataclass(frozen=True)
class Evidence:
    term: str
    category: str
    weight: int


@dataclass(frozen=True)
class Suggestion:
    """The suggested category (``Category.OTHER`` when no term matched) and why."""

    category: str
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    scores: dict[str, int] = field(default_factory=dict)

    @property
    def matched(self) -> bool:
        return bool(self.evidence)

    def evidence_json(self) -> list[dict[str, Any]]:
        return [{"term": e.term, "category": e.category, "weight": e.weight} for e in self.evidence]


def _lexicon() -> tuple[Any, dict[str, list[tuple[str, int]]]]:
    """The tokenizer and terms, rebuilt when an administrator changed the lexicon."""
    from django.db.models import Count, Max

    from carebridge.complaints.models import CategoryKeyword

    active = CategoryKeyword.objects.filter(is_active=True)
    version = tuple(active.aggregate(n=Count("id"), last=Max("updated_at")).values())
    with _lock:
        if _state["version"] == version and _state["tokenizer"] is not None:
            return _state["tokenizer"], _state["terms"]
        terms: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for term, category, weight in active.values_list("term", "category", "weight"):
            terms[term].append((category, weight))
        tokenizer = _state["tokenizer"] or new_tokenizer()
        for term in terms:
            tokenizer.add_word(term, freq=20000)
        _state.update(version=version, tokenizer=tokenizer, terms=dict(terms))
        return tokenizer, _state["terms"]


def suggest_category(text: str) -> Suggestion:
    """Suggest a category for ``text``: the category whose lexicon terms weigh most in it."""
    text = (text or "").strip()
    if not text:
        return Suggestion(category=Category.OTHER)
    tokenizer, terms = _lexicon()
    tokens = set(tokenizer.lcut(text))
    found: list[Evidence] = []
    for term, targets in terms.items():
        # A token equal to the term, or (for terms of two characters or more) the term inside a longer
        # token that jieba kept whole, such as 多收 in 多收费.
        if term in tokens or (len(term) >= 2 and term in text):
            found.extend(Evidence(term, category, weight) for category, weight in targets)
    if not found:
        return Suggestion(category=Category.OTHER)
    scores: dict[str, int] = defaultdict(int)
    for evidence in found:
        scores[evidence.category] += evidence.weight
    order = {value: index for index, value in enumerate(Category.values)}
    best = min(scores, key=lambda category: (-scores[category], order.get(category, 99)))
    found.sort(key=lambda e: (e.category != best, -e.weight, e.term))
    return Suggestion(category=best, evidence=tuple(found), scores=dict(scores))
