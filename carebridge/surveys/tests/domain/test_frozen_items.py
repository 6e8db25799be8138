"""A published definition's items are walked once per process (``instruments.freeze_items``); any other
definition, a copy of it included, is walked afresh."""

from __future__ import annotations

import copy

from carebridge.surveys.domain import instruments
from carebridge.surveys.domain.library.documents import library_document


def test_a_frozen_definition_answers_from_its_first_walk_and_a_copy_is_walked_again(monkeypatch):
    definition = library_document("inpatient-experience")["definition"]
    walked = list(instruments.iter_items(definition))
    instruments.freeze_items(definition)

    walks = []
    real_walk = instruments._walk_items
    monkeypatch.setattr(instruments, "_walk_items", lambda d: walks.append(d) or real_walk(d))
    assert list(instruments.iter_items(definition)) == walked
    assert list(instruments.iter_items(definition)) == walked
    assert walks == []

    edited = copy.deepcopy(definition)
    edited["dimensions"][0]["indicators"][0]["items"][0]["code"] = "changed"
    assert next(instruments.iter_items(edited)).code == "changed"
    assert walks == [edited]
