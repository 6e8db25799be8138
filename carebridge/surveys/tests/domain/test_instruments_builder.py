"""The builder's pure operations on a definition, its preview and the diff between versions."""

from __future__ import annotations

import pytest

from carebridge.surveys.domain.builder import (
    NodeNotFound,
    add_node,
    diff_definitions,
    move_node,
    preview,
    remove_node,
    replace_node,
    unused_code,
)
from carebridge.surveys.domain.instruments import validate_definition
from carebridge.surveys.tests.factories import definition_small


def item_codes(definition):
    return [
        item["code"]
        for dimension in definition["dimensions"]
        for indicator in dimension["indicators"]
        for item in indicator["items"]
    ]


def test_operations_return_copies_and_leave_the_original_alone():
    original = definition_small()
    moved = move_node(original, "item", "q2", -1)
    assert item_codes(moved)[:2] == ["q2", "q1"]
    assert item_codes(original)[:2] == ["q1", "q2"]


def test_moving_is_clamped_at_the_ends():
    definition = definition_small()
    assert move_node(definition, "item", "q1", -1) == definition
    assert [d["code"] for d in move_node(definition, "dimension", "care", 5)["dimensions"]] == [
        "overall",
        "about",
        "care",
    ]


def test_adding_an_item_to_an_indicator_keeps_the_definition_valid():
    item = {"code": "q4", "type": "yes_no", "text": {"zh-hans": "有人介绍主管医生吗？"}}
    definition = add_node(definition_small(), "item", "care_env", item)
    assert item_codes(definition) == ["q1", "q2", "q3", "q4", "nps", "comment"]
    assert validate_definition(definition) == []


def test_replacing_a_group_keeps_its_children_and_renaming_an_item_follows_skip_logic():
    definition = replace_node(
        definition_small(),
        "indicator",
        "care_env",
        {"code": "env", "title": {"zh-hans": "环境"}, "weight": 2},
    )
    indicator = definition["dimensions"][0]["indicators"][1]
    assert indicator["code"] == "env" and [i["code"] for i in indicator["items"]] == ["q3"]
    nps = {"code": "rec", "type": "scale_0_10", "required": True, "text": {"zh-hans": "推荐吗？"}}
    renamed = replace_node(definition, "item", "nps", nps)
    assert renamed["dimensions"][2]["indicators"][0]["items"][0]["show_if"]["item"] == "rec"
    assert validate_definition(renamed) == []


def test_removing_an_item_that_others_depend_on_is_caught_by_validation():
    definition = remove_node(definition_small(), "item", "nps")
    assert any("show_if" in error for error in validate_definition(definition))


def test_an_unknown_node_is_reported():
    with pytest.raises(NodeNotFound):
        remove_node(definition_small(), "item", "nothing")


def test_unused_code_skips_codes_in_use():
    assert unused_code(definition_small(), "q") == "q4"


def test_preview_shows_shares_and_effective_weights():
    groups = preview(definition_small(), "en")
    care, overall, about = groups
    assert care.title == "Care" and care.share == pytest.approx(60.0)
    assert not about.scored and about.share == 0
    comm = care.children[0]
    assert comm.share == pytest.approx(70.0)
    q1, q2 = comm.children
    assert q1.percent == pytest.approx(28.0) and q2.percent == pytest.approx(14.0)
    assert q1.choices[0] == (1, "Very dissatisfied")
    comment = about.children[0].children[0]
    assert comment.condition.startswith("nps ∈")
    assert [value for value, _ in overall.children[0].children[0].choices] == list(range(11))


def test_diff_names_what_changed():
    old = definition_small()
    new = definition_small()
    new["dimensions"][0]["weight"] = 0.5
    new["dimensions"][0]["indicators"][0]["items"][1]["reverse"] = False
    new = add_node(new, "item", "care_env", {"code": "q9", "type": "yes_no", "text": {"zh-hans": "新"}})
    new = remove_node(new, "item", "q3")
    new["title"]["en"] = "Other"
    diff = diff_definitions(old, new)
    assert diff.added == ["q9"] and diff.removed == ["q3"]
    assert diff.changed == {"q2": ["reverse"]}
    assert diff.weights == {"care": (0.6, 0.5)}
    assert diff.texts == ["title"]
    assert not diff.is_empty
    assert diff_definitions(old, definition_small()).is_empty


def test_diff_notices_a_move():
    diff = diff_definitions(definition_small(), move_node(definition_small(), "item", "q2", -1))
    assert set(diff.moved) == {"q1", "q2"} and not diff.added and not diff.changed
