"""Chinese comment analytics (评论文本分析): topics and polarity of free-text survey answers.

Comments are split into clauses at punctuation, each clause is segmented with jieba (its bundled
dictionary plus our hospital user dictionary, so it works offline), and then

* a clause gets every topic whose lexicon word it contains (等候时间, 服务态度, 医疗质量, 护理, 费用,
  环境, 沟通, 停车/交通, 餐饮, 就诊流程);
* its polarity is the sum over sentiment words of strength × degree words (非常, 很, 太 …) × −1 for
  each negation (不, 没有, 没 …) in the few words before it, so "医生态度很好，但是排队太久" is
  positive about 服务态度 and negative about 等候时间.

The lexicons live in ``lexicons/`` as plain UTF-8 files (see its README) so a hospital can tune them.
This is a lexicon method like R ``tidytext``'s sentiment joins; there is no reference output to match.
jieba is initialised once, on first use, in its own ``Tokenizer`` so the global one is left alone.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.text import new_tokenizer

LEXICON_DIR = Path(__file__).with_name("lexicons")
CLAUSE_BREAK = re.compile(r"[，,。.!！?？;；、\n\r\t~～…]+|但是|但|可是|不过|就是")
# How many tokens before a sentiment word a negation or degree word may stand ("不是很好").
WINDOW = 3


@dataclass(frozen=True)
class Lexicon:
    topics: dict[str, frozenset[str]]
    sentiment: dict[str, float]
    negations: frozenset[str]
    degree: dict[str, float]


@dataclass(frozen=True)
class CommentAnalysis:
    """text; tokens; topics (sorted); score (sum of clause scores); polarity (positive / negative /
    neutral); topic_scores: per topic the summed score of the clauses that mention it, or, when those
    clauses carry no sentiment word, the comment's own score ("医保报销手续繁琐，体验很差" is negative
    about the costs even though "很差" stands in the other clause)."""

    text: str
    tokens: list[str]
    topics: list[str]
    score: float
    polarity: str
    topic_scores: dict[str, float]


@dataclass(frozen=True)
class CommentSummary:
    """comments: one row per comment (text, topics, polarity, score); topics: per topic n, positive,
    negative, neutral and up to ``examples`` example comments each (most negative / most positive
    first); polarity: counts of positive, negative, neutral comments; n_skipped: empty entries."""

    comments: pd.DataFrame
    topics: pd.DataFrame
    polarity: dict[str, int]
    n_skipped: int


def _lines(name: str) -> list[list[str]]:
    path = LEXICON_DIR / name
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            out.append(line.split())
    return out


def load_lexicon() -> Lexicon:
    """Read the lexicon files; raises StatsInputError naming a malformed line."""
    topics: dict[str, set[str]] = {}
    current: str | None = None
    for parts in _lines("topics.txt"):
        if parts[0].startswith("[") and parts[0].endswith("]"):
            current = parts[0][1:-1]
            topics.setdefault(current, set())
            continue
        if current is None:
            raise StatsInputError(f"topics.txt: words {parts} come before any [topic] header.")
        topics[current].update(parts)
    sentiment: dict[str, float] = {}
    for name, sign in (("positive.txt", 1.0), ("negative.txt", -1.0)):
        for parts in _lines(name):
            try:
                strength = float(parts[1]) if len(parts) > 1 else 1.0
            except ValueError as exc:
                raise StatsInputError(f"{name}: strength of {parts[0]!r} is not a number.") from exc
            sentiment[parts[0]] = sign * strength
    degree = {}
    for parts in _lines("degree.txt"):
        try:
            degree[parts[0]] = float(parts[1])
        except (IndexError, ValueError) as exc:
            raise StatsInputError(f"degree.txt: {parts[0]!r} needs a numeric factor.") from exc
    negations = frozenset(parts[0] for parts in _lines("negations.txt"))
    return Lexicon({k: frozenset(v) for k, v in topics.items()}, sentiment, negations, degree)


_lock = threading.Lock()
_state: dict[str, object] = {}


def _resources() -> tuple[object, Lexicon]:
    """The jieba tokenizer and the lexicon, built once and lazily (jieba's dictionary takes ~1 s)."""
    with _lock:
        if "tokenizer" not in _state:
            tokenizer = new_tokenizer()
            lexicon = load_lexicon()
            for parts in _lines("user_dict.txt"):
                freq = int(parts[1]) if len(parts) > 1 else None
                tokenizer.add_word(parts[0], freq, parts[2] if len(parts) > 2 else None)
            # Every lexicon word must survive segmentation, or it could never match.
            for word in {
                *lexicon.sentiment,
                *lexicon.degree,
                *lexicon.negations,
                *(w for words in lexicon.topics.values() for w in words),
            }:
                if len(word) > 1 and tokenizer.FREQ.get(word, 0) == 0:
                    tokenizer.add_word(word)
            _state["tokenizer"] = tokenizer
            _state["lexicon"] = lexicon
    return _state["tokenizer"], _state["lexicon"]  # type: ignore[return-value]


def _clause_score(tokens: list[str], lexicon: Lexicon) -> float:
    score = 0.0
    last_sentiment = -1
    for i, token in enumerate(tokens):
        value = lexicon.sentiment.get(token)
        if value is None:
            continue
        flips = 0
        factor = 1.0
        # Look back a few tokens, but not past the previous sentiment word (it owns its modifiers).
        for prev in tokens[max(last_sentiment + 1, i - WINDOW) : i]:
            if prev in lexicon.negations:
                flips += 1
            elif prev in lexicon.degree:
                factor *= lexicon.degree[prev]
        score += value * factor * (-1 if flips % 2 else 1)
        last_sentiment = i
    return score


def _label(score: float) -> str:
    if score > 0:
        return "positive"
    if score < 0:
        return "negative"
    return "neutral"


def analyze_comment(text: str) -> CommentAnalysis:
    """Topics and polarity of one comment."""
    if not isinstance(text, str):
        raise StatsInputError(f"A comment must be text, got {type(text).__name__}.")
    tokenizer, lexicon = _resources()
    all_tokens: list[str] = []
    topic_scores: dict[str, float] = {}
    total = 0.0
    for raw_clause in CLAUSE_BREAK.split(text):
        clause = raw_clause.strip()
        if not clause:
            continue
        tokens = [t for t in tokenizer.lcut(clause) if t.strip()]  # type: ignore[attr-defined]
        all_tokens.extend(tokens)
        score = _clause_score(tokens, lexicon)
        total += score
        token_set = set(tokens)
        for topic, words in lexicon.topics.items():
            if token_set & words:
                topic_scores[topic] = topic_scores.get(topic, 0.0) + score
    # A topic whose own clauses say nothing good or bad takes the comment's verdict: otherwise a plainly
    # negative comment counts as neutral under every topic it names.
    topic_scores = {topic: score or total for topic, score in topic_scores.items()}
    return CommentAnalysis(text, all_tokens, sorted(topic_scores), total, _label(total), topic_scores)


def analyze_comments(comments: Iterable[object], *, examples: int = 3) -> CommentSummary:
    """Analyse many comments: per-comment topics and polarity, and per-topic counts with examples.

    A topic's polarity in a comment is that of the clauses mentioning it, so one comment can be
    positive about the nurses and negative about the waiting time; a topic whose clauses carry no
    sentiment takes the comment's. Empty or non-text entries are
    skipped and counted."""
    if examples < 0:
        raise StatsInputError("examples must not be negative.")
    rows: list[dict[str, Any]] = []
    skipped = 0
    for item in comments:
        if not isinstance(item, str) or not item.strip():
            skipped += 1
            continue
        result = analyze_comment(item)
        rows.append(
            {
                "text": result.text,
                "topics": result.topics,
                "polarity": result.polarity,
                "score": result.score,
                "topic_scores": result.topic_scores,
            }
        )
    if not rows:
        raise StatsInputError("There are no non-empty comments to analyse.")
    table = pd.DataFrame(rows)
    _, lexicon = _resources()
    topic_rows = {}
    for topic in lexicon.topics:
        hits = [(r["text"], r["topic_scores"][topic]) for r in rows if topic in r["topic_scores"]]
        labels = Counter(_label(s) for _, s in hits)
        negative = sorted((h for h in hits if h[1] < 0), key=lambda h: h[1])
        positive = sorted((h for h in hits if h[1] > 0), key=lambda h: -h[1])
        topic_rows[topic] = {
            "n": len(hits),
            "positive": labels["positive"],
            "negative": labels["negative"],
            "neutral": labels["neutral"],
            "negative_examples": [t for t, _ in negative[:examples]],
            "positive_examples": [t for t, _ in positive[:examples]],
        }
    topics = pd.DataFrame.from_dict(topic_rows, orient="index")
    topics = topics.sort_values("n", ascending=False, kind="stable")
    counts = Counter(table["polarity"])
    return CommentSummary(
        comments=table.drop(columns="topic_scores"),
        topics=topics,
        polarity={k: counts[k] for k in ("positive", "negative", "neutral")},
        n_skipped=skipped,
    )
