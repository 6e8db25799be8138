"""Chinese comment analytics. Lexicon methods have no reference output; these are hand-labelled comments."""

from __future__ import annotations

import pytest

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.text import analyze_comment, analyze_comments, load_lexicon


def test_lexicons_load_with_the_required_topics_and_words() -> None:
    lexicon = load_lexicon()
    for topic in ("等候时间", "服务态度", "医疗质量", "护理", "费用", "环境", "沟通", "停车/交通", "餐饮"):
        assert lexicon.topics[topic], topic
    assert {"不", "没有", "没"} <= lexicon.negations
    assert {"非常", "很", "太"} <= set(lexicon.degree)


def test_a_mixed_comment_is_positive_on_attitude_and_negative_on_waiting() -> None:
    result = analyze_comment("医生态度很好，但是排队时间太长了")
    assert result.topic_scores["服务态度"] > 0
    assert result.topic_scores["等候时间"] < 0


@pytest.mark.parametrize(
    ("text", "topic", "polarity"),
    [
        ("护士非常耐心，打针一点也不疼", "护理", "positive"),
        ("收费不合理，太贵了", "费用", "negative"),
        ("医生没有解释清楚", "沟通", "negative"),
        ("环境干净整洁", "环境", "positive"),
        ("饭菜不好吃", "餐饮", "negative"),
        ("停车太难了，停车场车位不够", "停车/交通", "negative"),
        ("护士态度不是很好", "服务态度", "negative"),
        ("医保报销手续繁琐，跑了好几个窗口", "费用", "negative"),
        ("病房晚上太吵", "环境", "negative"),
        ("护士操作粗暴", "护理", "negative"),
        ("医生问诊草率", "沟通", "negative"),
        ("医生花了很长时间耐心解释", "沟通", "positive"),
    ],
)
def test_hand_labelled_comments(text: str, topic: str, polarity: str) -> None:
    result = analyze_comment(text)
    assert topic in result.topics
    assert result.polarity == polarity


def test_a_topic_whose_clause_is_neutral_takes_the_comments_verdict() -> None:
    """The topic words and the judgement often stand in different clauses; the topic's own clause, when
    it has sentiment, still wins (the mixed comment above)."""
    costs = analyze_comment("医保报销手续繁琐，跑了好几个窗口，体验很差。")
    assert costs.polarity == "negative" and costs.topic_scores["费用"] < 0
    assert analyze_comment("出院时没人讲清楚回家后怎么吃药，很不满意").topic_scores["出院与用药"] < 0
    queue = analyze_comment("排队时间太长，挂号、缴费、取药都要排，等了一上午。")
    assert queue.topic_scores["等候时间"] < 0 and queue.topic_scores["就诊流程"] < 0
    plain = analyze_comment("护士在病房里打针")  # no judgement anywhere: neutral
    assert plain.topic_scores == {"护理": 0.0, "环境": 0.0}


def test_negation_flips_and_degree_words_strengthen() -> None:
    assert analyze_comment("满意").score == 1
    assert analyze_comment("不满意").score < 0
    assert analyze_comment("很满意").score > analyze_comment("满意").score
    assert analyze_comment("没有不满意").score > 0  # double negation


def test_aggregate_counts_and_examples() -> None:
    summary = analyze_comments(["排队太久了", "排队很慢，态度也差", "护士很热情", None, "  "], examples=1)
    assert summary.n_skipped == 2
    assert summary.polarity == {"positive": 1, "negative": 2, "neutral": 0}
    waiting = summary.topics.loc["等候时间"]
    assert (waiting["n"], waiting["negative"]) == (2, 2)
    assert len(waiting["negative_examples"]) == 1
    assert list(summary.comments.columns) == ["text", "topics", "polarity", "score"]


def test_it_refuses_no_comments() -> None:
    with pytest.raises(StatsInputError, match="no non-empty comments"):
        analyze_comments([None, ""])
